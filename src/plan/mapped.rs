//! The previous network of a re-plan mapped onto the households' regions: the region of
//! every center kept, the centers kept per region, each household's previous center, and
//! ids for the new catchments.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::balance::FREE;
use crate::error::{Error, Result};
use crate::geometry::dist2;
use crate::model::Households;
use crate::network::{CenterStatus, Previous};
use crate::plan::bounds::RegionBounds;

/// The previous network mapped onto the households' regions.
pub(super) struct Network {
    /// Region of each center; `None` for a closed one.
    pub(super) region: Vec<Option<u32>>,
    /// Per region: its kept centers (indices into the previous centers), in source order.
    pub(super) kept: Vec<Vec<u32>>,
    /// Per household: its previous center, or [`FREE`] when it had none.
    pub(super) previous: Vec<u32>,
    /// Per region: ids for its new catchments, continuing the previous numbering.
    pub(super) new_ids: Vec<Vec<String>>,
}

impl Network {
    pub(super) fn new(households: &Households, previous: &Previous) -> Result<Self> {
        // A national file's million ids looked up on the worker pool.
        let prev: Vec<u32> = households
            .items
            .par_iter()
            .map(|h| previous.assignment.get(&h.id).copied().unwrap_or(FREE))
            .collect();
        let mut region = Vec::with_capacity(previous.centers.len());
        let votes = region_votes(households, &prev, previous.centers.len());
        for (c, center) in previous.centers.iter().enumerate() {
            if center.status == CenterStatus::Closed {
                region.push(None);
                continue;
            }
            region.push(Some(center_region(households, previous, c, &votes[c])?));
        }
        let mut kept: Vec<Vec<u32>> = vec![Vec::new(); households.regions.len()];
        for (c, r) in region.iter().enumerate() {
            if let Some(r) = r {
                kept[*r as usize].push(c as u32);
            }
        }
        Ok(Network {
            region,
            kept,
            previous: prev,
            new_ids: Vec::new(),
        })
    }

    /// Ids for each region's new catchments: the previous ids' common prefix with the
    /// numbers after the largest one, in region order (`C-0053` → `C-0054`, …).
    pub(super) fn number_new(&mut self, previous: &Previous, checks: &[(RegionBounds, usize)]) {
        let (prefix, mut next, width) = numbering(previous);
        let taken: std::collections::HashSet<&str> =
            previous.centers.iter().map(|c| c.id.as_str()).collect();
        self.new_ids = checks
            .iter()
            .zip(&self.kept)
            .map(|((b, _), kept)| {
                (kept.len()..b.k)
                    .map(|_| {
                        loop {
                            let id = format!("{prefix}{next:0width$}");
                            next += 1;
                            if !taken.contains(id.as_str()) {
                                break id;
                            }
                        }
                    })
                    .collect()
            })
            .collect();
    }
}

/// Per center, households (by weight) of each region that were assigned to it.
fn region_votes(households: &Households, prev: &[u32], centers: usize) -> Vec<HashMap<u32, u64>> {
    let mut votes: Vec<HashMap<u32, u64>> = vec![HashMap::new(); centers];
    for (h, &c) in households.items.iter().zip(prev) {
        if let Some(v) = votes.get_mut(c as usize) {
            *v.entry(h.region).or_default() += u64::from(h.weight);
        }
    }
    votes
}

/// The region of center `c`: as its source says, else where most of its households are,
/// else the region of the household nearest to it.
fn center_region(
    households: &Households,
    previous: &Previous,
    c: usize,
    votes: &HashMap<u32, u64>,
) -> Result<u32> {
    let center = &previous.centers[c];
    if households.region_columns.is_empty() {
        return Ok(0);
    }
    if let Some(name) = &center.region {
        return households
            .regions
            .iter()
            .position(|r| r == name)
            .map(|r| r as u32)
            .ok_or_else(|| Error::CenterOutsideRegions {
                path: previous.files.first().cloned().unwrap_or_default(),
                line: center.line,
                id: center.id.as_str().into(),
                region: name.as_str().into(),
                known: households
                    .regions
                    .iter()
                    .take(8)
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into(),
            });
    }
    if let Some((&r, _)) = votes
        .iter()
        .max_by_key(|&(&r, &w)| (w, std::cmp::Reverse(r)))
    {
        return Ok(r);
    }
    let at = [center.position.lon, center.position.lat];
    let nearest = households.items.iter().min_by(|a, b| {
        let da = dist2([a.position.lon, a.position.lat], at);
        let db = dist2([b.position.lon, b.position.lat], at);
        da.total_cmp(&db)
    });
    Ok(nearest.map_or(0, |h| h.region))
}

/// The previous ids' most common prefix before their trailing digits, the number after the
/// largest, and the digits' width (`C-`, 54, 4 after `C-0053`; `C-`, 1, 4 without any).
fn numbering(previous: &Previous) -> (String, u64, usize) {
    let mut prefixes: HashMap<&str, (usize, u64, usize)> = HashMap::new();
    for c in &previous.centers {
        let digits = c.id.len() - c.id.trim_end_matches(|ch: char| ch.is_ascii_digit()).len();
        if digits == 0 || digits > 18 {
            continue;
        }
        let (prefix, number) = c.id.split_at(c.id.len() - digits);
        let e = prefixes.entry(prefix).or_default();
        e.0 += 1;
        e.1 = e.1.max(number.parse().unwrap_or(0));
        e.2 = e.2.max(digits);
    }
    prefixes
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.cmp(a.0)))
        .map_or(("C-".to_string(), 1, 4), |(p, (_, max, width))| {
            (p.to_string(), max + 1, width)
        })
}
