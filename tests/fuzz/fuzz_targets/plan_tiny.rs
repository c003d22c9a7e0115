//! Tiny plans from fuzzed points, sizes and applicants: planning either explains why it
//! cannot, or gives a plan whose catchments are within bounds, covering every household
//! once, with awards that respect the rules. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siting::{Applicant, Applicants, Households, LonLat, PlanConfig, Planner, Proposal};

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let target = u32::from(data[0] % 16) + 1;
    let tolerance = f64::from(data[1] % 5) * 0.05;
    let body = &data[2..];
    // Points: 3 bytes each (x, y, weight) on a ~2.5 km grid cell of 10 m steps.
    let points: Vec<(String, f64, f64, u32)> = body
        .chunks_exact(3)
        .take(96)
        .enumerate()
        .map(|(i, c)| {
            (
                format!("h{i}"),
                50.0 + f64::from(c[0]) * 1e-4,
                36.0 + f64::from(c[1]) * 1e-4,
                u32::from(c[2] % 4) + 1,
            )
        })
        .collect();
    if points.is_empty() {
        return;
    }
    let hh = Households::from_points(points.iter().map(|(id, x, y, w)| (id.as_str(), *x, *y, *w)));
    let config = PlanConfig::default()
        .target_size(target)
        .size_tolerance(tolerance)
        .restarts(1);
    let Ok(planner) = Planner::new(config) else {
        return;
    };
    let Ok(mut plan) = planner.plan(&hh) else {
        return;
    };
    assert_eq!(plan.assignment.len(), hh.len());
    let mut sizes = vec![0u64; plan.catchments.len()];
    for (h, &c) in hh.items.iter().zip(&plan.assignment) {
        sizes[c as usize] += u64::from(h.weight);
    }
    for (c, size) in plan.catchments.iter().zip(&sizes) {
        assert_eq!(c.households, *size);
    }
    let region = &plan.regions[0];
    let within = sizes
        .iter()
        .all(|&s| s >= region.min_size && s <= region.max_size);
    // The plan reports its balance truthfully; households of weight 1 always balance
    // (with weighted rows the bounds can be a subset-sum puzzle without a solution).
    assert_eq!(within, region.balanced);
    if hh.items.iter().all(|h| h.weight == 1) {
        assert!(within);
    }
    // Applicants: one per 4 leftover bytes, proposing the points themselves.
    let items: Vec<Applicant> = body
        .chunks_exact(4)
        .take(12)
        .enumerate()
        .map(|(i, c)| Applicant {
            id: format!("A{i}"),
            score: (c[0] % 3 != 0).then_some(f64::from(c[0])),
            eligible: c[1] % 7 != 0,
            max_centers: u32::from(c[2] % 3) + 1,
            proposals: (0..(c[3] % 5 + 1))
                .map(|p| {
                    let (_, x, y, _) =
                        &points[(usize::from(c[3]) + 7 * usize::from(p)) % points.len()];
                    Proposal {
                        preference: p + 1,
                        position: LonLat::new(*x + 1e-5, *y),
                        line: 0,
                    }
                })
                .collect(),
            line: i as u64 + 2,
        })
        .collect();
    let applicants = Applicants {
        items,
        ..Applicants::default()
    };
    let sites = planner
        .award_sites(&plan, &hh, &applicants)
        .expect("award on a fresh plan");
    for (a, result) in sites.award.applicants.iter().enumerate() {
        assert!(result.awarded.len() as u32 <= applicants.items[a].max_centers);
        if !applicants.items[a].eligible {
            assert!(result.awarded.is_empty());
        }
    }
    let awarded = sites.award.catchment_site.iter().flatten().count();
    assert_eq!(awarded + sites.gaps.len(), plan.catchments.len());
});
