//! Tiny plans of two regions from fuzzed points on a 10 m grid, so that the regions'
//! households interleave, share locations and sit on common lines and circles: the
//! degenerate inputs of the split by nearest household (`borders`). Never a panic; every
//! overlap is split (none left reported), and polygons do not overlap.
#![no_main]

use geo::{Area, BooleanOps};
use libfuzzer_sys::fuzz_target;
use siting::{Households, PlanConfig, Planner};

fuzz_target!(|data: &[u8]| {
    if data.len() < 4 {
        return;
    }
    let target = u32::from(data[0] % 12) + 2;
    let body = &data[1..];
    // Points: 3 bytes each (x, y, region in the top bit of the third, weight below).
    let points: Vec<(String, f64, f64, u32, u32)> = body
        .chunks_exact(3)
        .take(120)
        .enumerate()
        .map(|(i, c)| {
            (
                format!("h{i}"),
                50.0 + f64::from(c[0]) * 1e-4,
                36.0 + f64::from(c[1]) * 1e-4,
                u32::from(c[2] % 3) + 1,
                u32::from(c[2] >> 7),
            )
        })
        .collect();
    if points.is_empty() {
        return;
    }
    let mut hh =
        Households::from_points(points.iter().map(|(id, x, y, w, _)| (id.as_str(), *x, *y, *w)));
    for (h, p) in hh.items.iter_mut().zip(&points) {
        h.region = p.4;
    }
    hh.regions = vec!["a".into(), "b".into()];
    let regions_used: std::collections::BTreeSet<u32> = hh.items.iter().map(|h| h.region).collect();
    if regions_used.len() < 2 {
        return;
    }
    let config = PlanConfig::default().target_size(target).restarts(1);
    let Ok(planner) = Planner::new(config) else {
        return;
    };
    let Ok(plan) = planner.plan(&hh) else {
        return;
    };
    assert!(plan.regions.iter().all(|r| r.overlapping_pairs == 0));
    let polys: Vec<geo::MultiPolygon<f64>> =
        plan.catchments.iter().map(|c| c.shape.to_geo()).collect();
    for a in 0..polys.len() {
        for b in a + 1..polys.len() {
            let area = polys[a].intersection(&polys[b]).unsigned_area();
            // 1 cm² at this latitude is about 1e-14 square degrees.
            assert!(area < 1e-14, "{a} and {b} overlap by {area} square degrees");
        }
    }
});
