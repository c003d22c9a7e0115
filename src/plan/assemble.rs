//! The plan put together: the regions' catchments numbered in one sequence, borders
//! between regions split by nearest household, areas, and the plan's figures.

use rayon::prelude::*;

use crate::config::PlanConfig;
use crate::model::{Households, LonLat, Shape};
use crate::plan::region::RegionResult;
use crate::plan::{Metrics, Plan};

pub(super) fn assemble(config: PlanConfig, hh: &Households, regions: Vec<RegionResult>) -> Plan {
    let total: usize = regions.iter().map(|r| r.catchments.len()).sum();
    let width = total.to_string().len().max(4);
    let mut assignment = vec![0u32; hh.len()];
    let mut distance_m = vec![0.0f64; hh.len()];
    let mut catchments = Vec::with_capacity(total);
    let mut infos = Vec::with_capacity(regions.len());
    for r in regions {
        let offset = catchments.len() as u32;
        for (i, l, d) in r.assigned {
            assignment[i] = offset + l;
            distance_m[i] = d;
        }
        for mut c in r.catchments {
            c.id = format!("C-{:0width$}", catchments.len() + 1);
            catchments.push(c);
        }
        infos.push(r.info);
    }
    let homes = |needed: &[bool]| {
        let mut homes: Vec<Vec<LonLat>> = vec![Vec::new(); needed.len()];
        for (h, &c) in hh.items.iter().zip(&assignment) {
            if needed[c as usize] {
                homes[c as usize].push(h.position);
            }
        }
        homes
    };
    let region: Vec<u32> = catchments.iter().map(|c| c.region).collect();
    let mut shapes: Vec<Shape> = catchments
        .iter_mut()
        .map(|c| std::mem::take(&mut c.shape))
        .collect();
    let resolved = crate::polygons::borders::resolve(&mut shapes, homes);
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
    catchments
        .par_iter_mut()
        .for_each(|c| c.area_km2 = geodesic_area_km2(&c.shape));
    let households = hh.total_weight();
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
    let metrics = Metrics {
        rows: hh.len(),
        households,
        catchments: catchments.len(),
        sse_m2: infos.iter().map(|r| r.sse_m2).sum(),
        mean_distance_m: mean,
        p90_distance_m: p90,
        max_distance_m: dist.last().map_or(0.0, |d| d.0),
        smallest_catchment: catchments.iter().map(|c| c.households).min().unwrap_or(0),
        largest_catchment: catchments.iter().map(|c| c.households).max().unwrap_or(0),
        converged: infos.iter().all(|r| r.converged),
        balanced: infos.iter().all(|r| r.balanced),
    };
    Plan {
        config,
        region_columns: hh.region_columns.clone(),
        regions: infos,
        catchments,
        assignment,
        distance_m,
        metrics,
        warnings: Vec::new(),
    }
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
