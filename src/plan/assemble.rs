//! The plan put together: the regions' catchments numbered in one sequence, borders
//! between regions split by nearest household, areas, and the plan's figures.

use rayon::prelude::*;

use crate::config::PlanConfig;
use crate::model::{Households, LonLat, Shape};
use crate::plan::region::RegionResult;
use crate::plan::{Catchment, Metrics, Plan, RegionPlan};

pub(super) fn assemble(config: PlanConfig, hh: &Households, regions: Vec<RegionResult>) -> Plan {
    let Numbered {
        mut catchments,
        mut infos,
        assignment,
        distance_m,
        pins,
    } = number(hh, regions);
    resolve_borders(hh, &assignment, &pins, &mut catchments, &mut infos);
    catchments
        .par_iter_mut()
        .for_each(|c| c.area_km2 = geodesic_area_km2(&c.shape));
    let metrics = metrics(hh, &catchments, &infos, &distance_m);
    Plan {
        config,
        region_columns: hh.region_columns.clone(),
        regions: infos,
        catchments,
        assignment,
        distance_m,
        metrics,
        warnings: Vec::new(),
        replan: None,
    }
}

/// The regions' results put in one sequence.
struct Numbered {
    catchments: Vec<Catchment>,
    infos: Vec<RegionPlan>,
    /// Catchment of each household.
    assignment: Vec<u32>,
    /// Distance of each household to its catchment's center, in metres.
    distance_m: Vec<f64>,
    /// Re-plans: (catchment, building) of each open center.
    pins: Vec<(u32, LonLat)>,
}

/// Numbers the regions' catchments in one sequence (`C-0001`, ...), region by region.
fn number(hh: &Households, regions: Vec<RegionResult>) -> Numbered {
    let total: usize = regions.iter().map(|r| r.catchments.len()).sum();
    let width = total.to_string().len().max(4);
    let mut assignment = vec![0u32; hh.len()];
    let mut distance_m = vec![0.0f64; hh.len()];
    let mut catchments = Vec::with_capacity(total);
    let mut infos = Vec::with_capacity(regions.len());
    let mut pins = Vec::new();
    for r in regions {
        let offset = catchments.len() as u32;
        pins.extend(r.pins.iter().map(|&(j, at)| (offset + j, at)));
        for (i, l, d) in r.assigned {
            assignment[i] = offset + l;
            distance_m[i] = d;
        }
        for mut c in r.catchments {
            if c.id.is_empty() {
                c.id = format!("C-{:0width$}", catchments.len() + 1);
            }
            catchments.push(c);
        }
        infos.push(r.info);
    }
    Numbered {
        catchments,
        infos,
        assignment,
        distance_m,
        pins,
    }
}

/// Splits the borders between regions by nearest household, counting in the regions'
/// figures the households left outside and the pairs left overlapping.
fn resolve_borders(
    hh: &Households,
    assignment: &[u32],
    pins: &[(u32, LonLat)],
    catchments: &mut [Catchment],
    infos: &mut [RegionPlan],
) {
    let homes = |needed: &[bool]| {
        let mut homes: Vec<Vec<LonLat>> = vec![Vec::new(); needed.len()];
        for (h, &c) in hh.items.iter().zip(assignment) {
            if needed[c as usize] {
                homes[c as usize].push(h.position);
            }
        }
        for &(c, at) in pins {
            if needed[c as usize] {
                homes[c as usize].push(at);
            }
        }
        // By location, not by row: the split must not depend on the order of the rows.
        homes.par_iter_mut().for_each(|list| {
            list.sort_unstable_by(|a, b| a.lon.total_cmp(&b.lon).then(a.lat.total_cmp(&b.lat)));
        });
        homes
    };
    let region: Vec<u32> = catchments.iter().map(|c| c.region).collect();
    let mut shapes: Vec<Shape> = catchments
        .iter_mut()
        .map(|c| std::mem::take(&mut c.shape))
        .collect();
    let resolved = crate::polygons::borders::resolve(&mut shapes, &region, homes);
    for &(c, n) in &resolved.outside {
        infos[region[c] as usize].households_outside += n;
    }
    for &(a, b) in &resolved.unresolved {
        infos[region[a] as usize].overlapping_pairs += 1;
        infos[region[b] as usize].overlapping_pairs += 1;
    }
    for (c, shape) in catchments.iter_mut().zip(shapes) {
        c.shape = shape;
    }
}

/// The plan's figures.
fn metrics(
    hh: &Households,
    catchments: &[Catchment],
    infos: &[RegionPlan],
    distance_m: &[f64],
) -> Metrics {
    let households = hh.total_weight();
    let (mean, p90, max) = distance_figures(hh, distance_m, households);
    Metrics {
        rows: hh.len(),
        households,
        catchments: catchments.len(),
        sse_m2: infos.iter().map(|r| r.sse_m2).sum(),
        mean_distance_m: mean,
        p90_distance_m: p90,
        max_distance_m: max,
        smallest_catchment: catchments.iter().map(|c| c.households).min().unwrap_or(0),
        largest_catchment: catchments.iter().map(|c| c.households).max().unwrap_or(0),
        converged: infos.iter().all(|r| r.converged),
        balanced: infos.iter().all(|r| r.balanced),
    }
}

/// The households' mean, 90th percentile and largest distance to their centers, weighted
/// by household.
fn distance_figures(hh: &Households, distance_m: &[f64], households: u64) -> (f64, f64, f64) {
    let mut dist: Vec<(f64, u32)> = distance_m
        .iter()
        .zip(&hh.items)
        .map(|(&d, h)| (d, h.weight))
        .collect();
    let mean = dist.iter().map(|&(d, w)| d * f64::from(w)).sum::<f64>() / households.max(1) as f64;
    dist.par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let need = (0.9 * households as f64).ceil() as u64;
    let mut acc = 0;
    let mut p90 = 0.0;
    for &(d, w) in &dist {
        acc += u64::from(w);
        p90 = d;
        if acc >= need {
            break;
        }
    }
    (mean, p90, dist.last().map_or(0.0, |d| d.0))
}

fn geodesic_area_km2(shape: &Shape) -> f64 {
    use geo::GeodesicArea;
    shape
        .to_geo()
        .0
        .iter()
        .map(|p| p.geodesic_area_unsigned())
        .sum::<f64>()
        / 1e6
}
