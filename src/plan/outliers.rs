//! Households far from the rest of their region: a misplaced coordinate stretches the
//! region's catchments and its projection, so each is reported with its line as a
//! [`Warning`]; the plan is made anyway.

use crate::lang::{Args, Lang};
use rayon::prelude::*;

use crate::model::{Households, LonLat};
use crate::plan::Warning;
use crate::projection::haversine_m;

/// A household is an outlier when it is farther than this from its region's median point,
/// [`OUTLIER_FACTOR`] times farther than the region's median distance, and has fewer than 5
/// other households within 25 km.
pub(crate) const OUTLIER_MIN_M: f64 = 250_000.0;
/// See [`OUTLIER_MIN_M`].
pub(crate) const OUTLIER_FACTOR: f64 = 20.0;
/// An outlier has fewer than [`ISOLATED_BELOW`] other households within this distance.
const ISOLATION_M: f64 = 25_000.0;
/// See [`ISOLATION_M`].
const ISOLATED_BELOW: u64 = 5;
/// Outliers listed one by one per region; the rest are counted.
const OUTLIERS_LISTED: usize = 20;

/// Households far from the rest of their region: a misplaced coordinate stretches the
/// region's catchments and its projection, so each is reported with its line.
pub(crate) fn outliers(
    households: &Households,
    members: &[Vec<usize>],
    lang: Lang,
) -> Vec<Warning> {
    members
        .par_iter()
        .enumerate()
        .flat_map_iter(|(r, idx)| region_outliers(households, r, idx, lang))
        .collect()
}

/// The warnings of [`outliers`] for region `r`, whose households are `idx`.
fn region_outliers(households: &Households, r: usize, idx: &[usize], lang: Lang) -> Vec<Warning> {
    let mut warnings = Vec::new();
    if idx.len() < 3 {
        return warnings;
    }
    let median = |mut v: Vec<f64>| {
        let mid = v.len() / 2;
        *v.select_nth_unstable_by(mid, f64::total_cmp).1
    };
    let at = |i: usize| households.items[i].position;
    let middle = LonLat::new(
        median(idx.iter().map(|&i| at(i).lon).collect()),
        median(idx.iter().map(|&i| at(i).lat).collect()),
    );
    let d: Vec<f64> = idx.iter().map(|&i| haversine_m(middle, at(i))).collect();
    let typical = median(d.clone());
    let limit = OUTLIER_MIN_M.max(OUTLIER_FACTOR * typical);
    // Only isolated households: a remote town (many households together) is real.
    let near: Vec<(usize, f64)> = idx
        .iter()
        .zip(&d)
        .filter(|&(_, &x)| x > limit - ISOLATION_M)
        .map(|(&i, &x)| (i, x))
        .collect();
    if near.len() > 5_000 {
        return warnings; // a dispersed region, not a few stray points
    }
    let far: Vec<(usize, f64)> = near
        .iter()
        .filter(|&&(i, x)| {
            x > limit && {
                let company: u64 = near
                    .iter()
                    .filter(|&&(j, _)| j != i && haversine_m(at(i), at(j)) <= ISOLATION_M)
                    .map(|&(j, _)| u64::from(households.items[j].weight))
                    .sum();
                company < ISOLATED_BELOW
            }
        })
        .copied()
        .collect();
    let region = households.regions[r].clone();
    for &(i, x) in far.iter().take(OUTLIERS_LISTED) {
        warnings.push(Warning {
            region: region.clone(),
            line: Some(households.items[i].line),
            message: lang.format(
                "warning-outlier",
                &Args::new()
                    .text("km", lang.decimal(x / 1000.0, 0))
                    .text("typical", lang.decimal(typical / 1000.0, 1)),
            ),
        });
    }
    if far.len() > OUTLIERS_LISTED {
        warnings.push(Warning {
            region,
            line: None,
            message: lang.format(
                "warning-outliers-more",
                &Args::new()
                    .count("households", (far.len() - OUTLIERS_LISTED) as u64)
                    .text("km", lang.decimal(limit / 1000.0, 0)),
            ),
        });
    }
    warnings
}
