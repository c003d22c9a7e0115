//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use geo::{
    BooleanOps, BoundingRect, Distance, Euclidean, Intersects, LineString, MultiPolygon, Polygon,
};
use siting::{AzimuthalEquidistant, Projection};
use siting::{Households, LonLat, Plan, Shape};

/// The `siting` binary of this build.
pub fn siting() -> Command {
    Command::new(env!("CARGO_BIN_EXE_siting"))
}

/// Runs `siting plan HOUSEHOLDS --out OUT ARGS… --quiet` and asserts that it succeeded.
pub fn plan_quietly(households: impl AsRef<Path>, out: &Path, args: &[&str]) {
    let status = siting()
        .arg("plan")
        .arg(households.as_ref())
        .arg("--out")
        .arg(out)
        .args(args)
        .arg("--quiet")
        .status()
        .expect("runs");
    assert!(status.success(), "siting plan {args:?} failed");
}

/// The first column of a CSV file without its header: the ids of the bundled samples.
pub fn first_column(path: impl AsRef<Path>) -> HashSet<String> {
    let path = path.as_ref();
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or_default().to_string())
        .collect()
}

/// Clustered households around 36°N 50°E from a seed: `blobs` towns of random size and
/// spread, plus a few scattered points. Deterministic for a seed.
pub fn clustered(n: usize, blobs: usize, seed: u64) -> Households {
    let mut state = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 11) as f64) / ((1u64 << 53) as f64)
    };
    let centers: Vec<(f64, f64, f64)> = (0..blobs.max(1))
        .map(|_| {
            (
                50.0 + next() * 0.6,
                36.0 + next() * 0.5,
                0.002 + next() * 0.03,
            )
        })
        .collect();
    let ids: Vec<String> = (0..n).map(|i| format!("h{i}")).collect();
    let pts: Vec<(f64, f64)> = (0..n)
        .map(|_| {
            if next() < 0.05 {
                (50.0 + next() * 0.6, 36.0 + next() * 0.5)
            } else {
                let c = centers[(next() * centers.len() as f64) as usize % centers.len()];
                let r = c.2 * (-2.0 * next().max(1e-12).ln()).sqrt();
                let a = next() * std::f64::consts::TAU;
                (c.0 + r * a.cos(), c.1 + r * a.sin())
            }
        })
        .map(|(x, y)| (((x * 1e6).round() / 1e6), ((y * 1e6).round() / 1e6)))
        .collect();
    Households::from_points(
        ids.iter()
            .zip(&pts)
            .map(|(id, p)| (id.as_str(), p.0, p.1, 1)),
    )
}

/// A catchment's shape in a plane given by `xy`.
fn planar(shape: &Shape, xy: impl Fn(LonLat) -> (f64, f64)) -> MultiPolygon<f64> {
    let line = |r: &[LonLat]| LineString::from(r.iter().map(|&p| xy(p)).collect::<Vec<_>>());
    MultiPolygon::new(
        shape
            .parts
            .iter()
            .map(|p| Polygon::new(line(&p.exterior), p.holes.iter().map(|h| line(h)).collect()))
            .collect(),
    )
}

/// `n` (at least 200) clustered households, one per location, in two regions: east and
/// west of the median longitude, with each household's region flipped at random with
/// probability `mixed` / 2 (1.0: every household in a random region).
pub fn interleaved(n: usize, blobs: usize, seed: u64, mixed: f64) -> siting::Households {
    let mut hh = clustered(n.max(200), blobs + 1, seed);
    // One household per location: two at the same place in different regions cannot
    // be told apart by any boundary.
    let mut seen = std::collections::HashSet::new();
    hh.items
        .retain(|h| seen.insert((h.position.lon.to_bits(), h.position.lat.to_bits())));
    let mut lons: Vec<f64> = hh.items.iter().map(|h| h.position.lon).collect();
    lons.sort_by(f64::total_cmp);
    let cut = lons[lons.len() / 2];
    let mut state = seed | 1;
    for h in &mut hh.items {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let flip = (state >> 11) as f64 / (1u64 << 53) as f64 * 2.0 < mixed;
        h.region = u32::from(h.position.lon >= cut) ^ u32::from(flip);
    }
    hh.regions = vec!["west".into(), "east".into()];
    hh
}

/// Asserts the plan's structural invariants:
/// every household assigned exactly once to an existing catchment, sizes match the
/// assignment and lie within the region bounds, every household lies in its own polygon
/// (checked in the region's plane to 2 cm), no polygon vertex is a household location, and
/// no two polygons overlap (intersection area below 1 cm²).
pub fn assert_invariants(plan: &Plan, hh: &Households) {
    assert_eq!(plan.assignment.len(), hh.len());
    let k = plan.catchments.len();
    let mut sizes = vec![0u64; k];
    for (i, &c) in plan.assignment.iter().enumerate() {
        assert!(
            (c as usize) < k,
            "household {i} assigned to missing catchment {c}"
        );
        sizes[c as usize] += u64::from(hh.items[i].weight);
        assert_eq!(plan.catchments[c as usize].region, hh.items[i].region);
    }
    for (c, s) in plan.catchments.iter().zip(&sizes) {
        assert_eq!(c.households, *s, "{}", c.id);
        let r = &plan.regions[c.region as usize];
        assert!(
            *s >= r.min_size && *s <= r.max_size,
            "{} has {} households, bounds {}–{}",
            c.id,
            s,
            r.min_size,
            r.max_size
        );
        assert!(!c.shape.parts.is_empty(), "{} has no polygon", c.id);
        for ring in c.shape.rings() {
            assert!(
                ring.len() >= 4 && ring.first() == ring.last(),
                "{} ring not closed",
                c.id
            );
        }
        // Valid as GIS tools read polygons (OGC): rings neither cross nor share an edge,
        // and no part's interior is cut in two (which geo's validation does not check).
        let errors = geo::Validation::validation_errors(&c.shape.to_geo());
        assert!(
            errors.is_empty(),
            "{} is not a valid polygon: {errors:?}",
            c.id
        );
        assert!(
            c.shape.parts.iter().all(interior_connected),
            "{}: a hole touches its exterior or other holes in a loop",
            c.id
        );
    }
    // Containment in each region's plane.
    for (i, h) in hh.items.iter().enumerate() {
        let c = &plan.catchments[plan.assignment[i] as usize];
        let proj = AzimuthalEquidistant::new(plan.regions[c.region as usize].projection_center);
        let shape = planar(&c.shape, |p| {
            let [x, y] = proj.forward(p);
            (x, y)
        });
        let [x, y] = proj.forward(h.position);
        let p = geo::Point::new(x, y);
        let inside = shape.intersects(&p)
            || shape
                .iter()
                .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
                .any(|ring| Euclidean.distance(&p, ring) < 0.02);
        assert!(
            inside,
            "household {} (line {}) is outside its catchment {}",
            h.id, h.line, c.id
        );
    }
    // No vertex at a household location.
    let homes: std::collections::HashSet<(u64, u64)> = hh
        .items
        .iter()
        .map(|h| (h.position.lon.to_bits(), h.position.lat.to_bits()))
        .collect();
    for c in &plan.catchments {
        for v in c.shape.vertices() {
            assert!(
                !homes.contains(&(v.lon.to_bits(), v.lat.to_bits())),
                "{} has a household as vertex",
                c.id
            );
        }
    }
    // No overlaps.
    let polys: Vec<MultiPolygon<f64>> = plan.catchments.iter().map(|c| c.shape.to_geo()).collect();
    let boxes: Vec<_> = polys.iter().map(|p| p.bounding_rect()).collect();
    for a in 0..k {
        for b in a + 1..k {
            let (Some(ba), Some(bb)) = (boxes[a], boxes[b]) else {
                continue;
            };
            if !ba.intersects(&bb) {
                continue;
            }
            let area = overlap_m2(&polys[a], &polys[b]);
            assert!(
                area < 1e-4,
                "{} and {} overlap by {area} m²",
                plan.catchments[a].id,
                plan.catchments[b].id
            );
        }
    }
}

/// True when no two rings of `part` touch twice, directly or through other rings: the
/// rings as nodes, joined at each vertex they share, form no cycle (which would cut the
/// part's interior in two). Rings meeting at one vertex are joined once there: an
/// exterior and two holes all touching at one point leave the interior connected (GEOS
/// agrees; counting each pair touching there as its own edge called it a cycle).
fn interior_connected(part: &siting::Part) -> bool {
    let rings: Vec<&[siting::LonLat]> = std::iter::once(part.exterior.as_slice())
        .chain(part.holes.iter().map(Vec::as_slice))
        .collect();
    // Per shared vertex, the rings through it (each once, in ring order).
    let mut at: std::collections::BTreeMap<(u64, u64), Vec<usize>> = Default::default();
    for (r, ring) in rings.iter().enumerate() {
        for p in &ring[1..] {
            let list = at.entry((p.lon.to_bits(), p.lat.to_bits())).or_default();
            if list.last() != Some(&r) {
                list.push(r);
            }
        }
    }
    // Union-find: a vertex joining rings already joined closes a loop.
    let mut component: Vec<usize> = (0..rings.len()).collect();
    let root = |component: &Vec<usize>, mut x: usize| {
        while component[x] != x {
            x = component[x];
        }
        x
    };
    for list in at.values() {
        for &b in &list[1..] {
            let (ra, rb) = (root(&component, list[0]), root(&component, b));
            if ra == rb {
                return false;
            }
            component[ra] = rb;
        }
    }
    true
}

/// The catchment of every household by household id, sorted: the partition of `plan`
/// whatever the order of the rows of `hh`.
pub fn by_id(plan: &Plan, hh: &Households) -> Vec<(String, u32)> {
    let mut v: Vec<(String, u32)> = hh
        .items
        .iter()
        .zip(&plan.assignment)
        .map(|(h, &c)| (h.id.clone(), c))
        .collect();
    v.sort();
    v
}

/// Overlap area of two lon/lat shapes in m² (approximate, planar at the latitude).
pub fn overlap_m2(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    use geo::Area;
    let inter = a.intersection(b);
    let lat =
        a.0.first()
            .and_then(|p| p.exterior().0.first())
            .map_or(0.0, |c| c.y);
    inter.unsigned_area() * 111_195.0 * 111_195.0 * lat.to_radians().cos()
}
