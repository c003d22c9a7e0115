//! Tiny re-plans from fuzzed networks: existing centers anywhere (open, vacant or closed),
//! households on a 10 m grid that stayed, moved in or left, weighted rows, and previous
//! assignments that need not look like any plan. Re-planning either explains why it cannot,
//! or gives a plan that covers every household once, keeps every open center's id and
//! building, holds the bounds it reports, and tells the truth about its polygons: where it
//! reports no household outside and no overlap, there is none, and a building outside its
//! catchment is named in a warning. Never a panic.
#![no_main]

use geo::{Area, BooleanOps, Contains, Distance, Euclidean};
use libfuzzer_sys::fuzz_target;
use siting::{CenterStatus, ExistingCenter, Households, LonLat, PlanConfig, Planner, Previous};

/// A point of the fuzzed grid: about 10 m steps over 2.5 km.
fn grid(x: u8, y: u8) -> LonLat {
    LonLat::new(50.0 + f64::from(x) * 1e-4, 36.0 + f64::from(y) * 1e-4)
}

/// Whether `p` lies in `shape` or within 2 cm of its boundary (a hole's too), as the
/// plan's own check measures it (`polygons::borders`, metres at the household's latitude)
/// and the integration tests ask (`tests/common`): the layers' 7-decimal grid is about a
/// centimetre here, and a household on a border (coincident households split between two
/// catchments, one of them on a tiny island) may round that far to either side. (In
/// degrees alike on both axes, 1.8·10⁻⁷° is only 1.6 cm east–west at 36° N: a household
/// 1.8 cm from its island, within the plan's 2 cm, failed that test.)
fn covered(shape: &geo::MultiPolygon<f64>, p: LonLat) -> bool {
    const M_PER_DEG: f64 = 111_195.0;
    let point = geo::Point::new(p.lon, p.lat);
    let east = p.lat.to_radians().cos() * M_PER_DEG;
    let local = |c: geo::Coord<f64>| geo::Coord {
        x: (c.x - p.lon) * east,
        y: (c.y - p.lat) * M_PER_DEG,
    };
    shape.contains(&point)
        || shape.iter().any(|q| {
            std::iter::once(q.exterior())
                .chain(q.interiors())
                .any(|ring| {
                    let metres = geo::LineString::new(ring.coords().map(|&c| local(c)).collect());
                    Euclidean.distance(&geo::Point::new(0.0, 0.0), &metres) < 0.02
                })
        })
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let target = u32::from(data[0] % 14) + 3;
    let tolerance = f64::from(data[1] % 4) * 0.05;
    let stickiness = f64::from(data[2] % 5);
    let k = usize::from(data[3] % 7) + 1;
    let Some((centers, body)) = data[4..].split_at_checked(3 * k) else {
        return;
    };
    let mut previous = Previous::new("fuzz");
    for (c, b) in centers.chunks_exact(3).enumerate() {
        previous.centers.push(ExistingCenter {
            id: format!("C-{c}"),
            position: grid(b[0], b[1]),
            status: match b[2] % 5 {
                0 => CenterStatus::Vacant,
                1 => CenterStatus::Closed,
                _ => CenterStatus::Open,
            },
            region: None,
            line: c as u64 + 2,
            generator: None,
        });
    }
    // Households: 4 bytes each (x, y, weight, previous center or none for a newcomer);
    // every eighth byte-four marks one that left instead (assigned, but not in the file).
    let mut rows: Vec<(String, LonLat, u32)> = Vec::new();
    for (i, b) in body.chunks_exact(4).take(90).enumerate() {
        let id = format!("h{i}");
        let slot = usize::from(b[3]) % (k + 2);
        if slot < k {
            previous.assign(id.clone(), slot as u32);
        }
        if b[3] % 8 == 7 {
            continue;
        }
        rows.push((id, grid(b[0], b[1]), u32::from(b[2] % 3) + 1));
    }
    if rows.is_empty() {
        return;
    }
    let hh = Households::from_points(
        rows.iter()
            .map(|(id, p, w)| (id.as_str(), p.lon, p.lat, *w)),
    );
    let config = PlanConfig::default()
        .target_size(target)
        .size_tolerance(tolerance)
        .stickiness(stickiness)
        .restarts(1);
    let Ok(planner) = Planner::new(config) else {
        return;
    };
    let Ok(plan) = planner.replan(&hh, &previous) else {
        return;
    };
    // Every household once, and the catchments' sizes are their households'.
    assert_eq!(plan.assignment.len(), hh.len());
    let mut sizes = vec![0u64; plan.catchments.len()];
    for (h, &c) in hh.items.iter().zip(&plan.assignment) {
        sizes[c as usize] += u64::from(h.weight);
    }
    for (c, size) in plan.catchments.iter().zip(&sizes) {
        assert_eq!(c.households, *size, "catchment {}", c.id);
    }
    let region = &plan.regions[0];
    let within = plan
        .catchments
        .iter()
        .all(|c| c.households >= region.min_size && c.households <= region.max_size);
    assert_eq!(
        within, region.balanced,
        "the balance reported is not the plan's"
    );
    // Open centers keep their id and their building.
    let replan = plan.replan.as_ref().expect("a re-plan says what changed");
    let shapes: Vec<geo::MultiPolygon<f64>> =
        plan.catchments.iter().map(|c| c.shape.to_geo()).collect();
    for center in previous
        .centers
        .iter()
        .filter(|c| c.status == CenterStatus::Open)
    {
        let Some(c) = plan.catchments.iter().position(|c| c.id == center.id) else {
            // A center none of whose households is in the file has no region to be in.
            continue;
        };
        assert_eq!(replan.catchments[c].building, Some(center.position));
        let named = plan
            .warnings
            .iter()
            .any(|w| w.message.contains(&format!("center {} ", center.id)));
        assert!(
            covered(&shapes[c], center.position) || named,
            "the building of {} is outside its catchment and no warning says so",
            center.id
        );
    }
    // Polygons: a plan that reports no problem has none (as the integration tests ask: a
    // problem may be counted under the other heading, e.g. an island of one catchment left
    // inside another's polygon, counted as its household outside).
    if region.households_outside + region.overlapping_pairs == 0 {
        for (h, &c) in hh.items.iter().zip(&plan.assignment) {
            assert!(
                covered(&shapes[c as usize], h.position),
                "a household of {} outside its polygon, none reported",
                plan.catchments[c as usize].id
            );
        }
        for a in 0..shapes.len() {
            for b in a + 1..shapes.len() {
                let area = shapes[a].intersection(&shapes[b]).unsigned_area();
                // 1 cm² at this latitude is about 1e-14 square degrees.
                assert!(area < 1e-14, "{a} and {b} overlap by {area} square degrees");
            }
        }
    }
});
