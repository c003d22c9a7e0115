//! Catchments that are not exactly power cells made drawable. A re-plan's, whose
//! stickiness keeps some households across straight borders: a power diagram is fitted to
//! the labels (exactly when one exists); the households left outside their cell are
//! covered by growing their catchment's polygon, and the overlaps are split by nearest
//! household like the borders between regions (`polygons::borders`). The travel
//! objective's, whose borders are hyperbola arcs, in a region whose additive cells do not
//! tile its envelope: a power diagram fitted to them, from which the plan takes the exact
//! size-constrained power diagram.

use crate::balance::{
    Balanced, FIT_PATIENCE, FIT_ROUNDS, Fit, FitStop, NearGenerators, count_outside, fit_diagram,
    fit_power, fit_power_as,
};

/// Rounds of the fit to the travel objective's catchments: only a start for the exact
/// power diagram drawn from it (60 rounds: the national file's mean distance 0.05 %
/// shorter, the sample's 0.1 % longer, at 1.4 times the plan's time).
const TRAVEL_ROUNDS: usize = 8;
use crate::geometry::dist2;
use crate::plan::bounds::RegionBounds;
use crate::spatial::PowerIndex;

/// Where a drawable plan's households lie against their power cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Drawn {
    /// In their cells, those kept across a border aside ([`outsiders`] lists them).
    Cells,
    /// As [`Drawn::Cells`], but others may lie on their cell's border or within a
    /// centimetre or so of it, either side ([`off_cells`] lists them all).
    NearBorders,
}

/// Makes the re-plan's catchments drawable as power cells: fits power weights to its labels
/// when some give exactly them, as when nobody had to move; otherwise fits generators and
/// weights as well as it can, and moves the few households still outside their cell into
/// the cell that holds them when the bounds allow, unless they stayed where they were (a
/// household kept across a straight border would make the polygons interleave; one that
/// stayed is never moved for drawing, so an unchanged file moves nobody). Those left, and
/// open centers' buildings
/// outside their catchment's cell, are covered by growing the catchment's polygon (see
/// [`outsiders`]), the overlap being split by nearest household like a border between
/// regions.
pub(super) fn drawable(
    points: &[[f64; 2]],
    weights: &[u32],
    previous: &[u32],
    stored: &[Option<[f64; 2]>],
    result: &mut Balanced,
    b: RegionBounds,
) -> Drawn {
    // The previous plan's own generators first: where its borders still hold, they do.
    if stored.iter().any(Option::is_some) {
        let g: Vec<[f64; 2]> = result
            .centers
            .iter()
            .enumerate()
            .map(|(j, &c)| stored.get(j).copied().flatten().unwrap_or(c))
            .collect();
        // The households' nearest generators, shared by the fits to them.
        let near = NearGenerators::new(points, &g);
        if let Some(power) = fit_power_as(points, weights, &result.labels, &g, Fit::Exact, &near) {
            result.centers = g;
            result.power = power;
            return Drawn::Cells;
        }
        // Else the previous borders themselves, fitted to the households that stayed:
        // only the new and moved households near them can lie outside their cell.
        if let Some(power) = fit_stayed(points, weights, previous, &result.labels, &g, &near) {
            keep_better(points, result, g, power);
            move_into_cells(points, weights, previous, result, b);
            return Drawn::NearBorders;
        }
    }
    if let Some(power) = fit_power(points, weights, &result.labels, &result.centers) {
        result.power = power;
        return Drawn::Cells;
    }
    // A plan's generators lie between its catchments' centroids and geometric medians (see
    // the travel polish of `balance`): try points along that way before a general fit.
    let medians = medians(points, weights, &result.labels, result.centers.len());
    for t in [0.5, 1.0, 0.25, 0.75, 1.5, 2.0] {
        let g: Vec<[f64; 2]> = result
            .centers
            .iter()
            .zip(&medians)
            .map(|(c, m)| {
                if m[0].is_nan() {
                    *c
                } else {
                    [c[0] + t * (m[0] - c[0]), c[1] + t * (m[1] - c[1])]
                }
            })
            .collect();
        if let Some(power) = fit_power(points, weights, &result.labels, &g) {
            result.centers = g;
            result.power = power;
            return Drawn::Cells;
        }
    }
    general_fit(points, weights, previous, result, b)
}

/// The general power fit ([`fit_diagram`]) to labels that no diagram of the generators
/// tried holds, then the households still outside their cell moved into it where
/// [`move_into_cells`] may.
fn general_fit(
    points: &[[f64; 2]],
    weights: &[u32],
    previous: &[u32],
    result: &mut Balanced,
    b: RegionBounds,
) -> Drawn {
    // From the better start of the assignment's prices and none. A re-plan's prices hold
    // its households only up to the price of a move, which is large: under them 16,199 of
    // the sample's 24,000 households lay outside their cell after two centers closed,
    // under the plain Voronoi diagram of the same generators 3,673 (fewer than 60 rounds
    // of the fit from the prices reached, 3,986).
    let none = vec![0.0; result.centers.len()];
    let own = count_outside(points, &result.labels, &result.centers, &result.power);
    let from = if count_outside(points, &result.labels, &result.centers, &none) < own {
        &none
    } else {
        &result.power
    };
    let (g, power, left) = fit_diagram(
        points,
        &result.labels,
        &result.centers,
        from,
        FIT_ROUNDS,
        FitStop::Stalled(FIT_PATIENCE),
    );
    // The general fit can do worse than the assignment's own diagram: keep the better.
    if left < own {
        result.centers = g;
        result.power = power;
    }
    if left == 0 {
        return Drawn::Cells;
    }
    move_into_cells(points, weights, previous, result, b);
    Drawn::Cells
}

/// How far a generator read from a plan's files can be from the one its cells were drawn
/// with: half a unit of the 7th decimal of a degree, on both axes (8 mm), rounded up.
const GENERATOR_ROUNDING_M: f64 = 0.01;

/// How far inside their cell the previous borders keep the households that stayed, when
/// they can: the balancing's margin (`assign::widen_margins`).
const STAYED_MARGIN_M: f64 = 0.02;

/// Power weights for the generators `g` under which every household that stayed in its
/// previous catchment is power-nearest to it (2 cm inside, else on its border, else up to
/// the generators' rounding), when there are any (a previous plan drawn as power cells has
/// them: its own; households at one spot split between catchments need the rounding's
/// slack). On the national file after 5 % growth, 2 % of a
/// region's households are then outside their cell, where a general fit
/// ([`fit_diagram`]) from the assignment's generators left 25 %.
fn fit_stayed(
    points: &[[f64; 2]],
    weights: &[u32],
    previous: &[u32],
    labels: &[u32],
    g: &[[f64; 2]],
    near: &NearGenerators,
) -> Option<Vec<f64>> {
    let stayed: Vec<usize> = (0..points.len())
        .filter(|&i| previous[i] == labels[i])
        .collect();
    let near = near.pick(&stayed);
    let (points, weights, labels) = (
        pick(points, &stayed),
        pick(weights, &stayed),
        pick(labels, &stayed),
    );
    // Inside by a margin first, as the balancing keeps households (the others leave some
    // on their cell's border, where the polygons' rounding can put them out by a few
    // millimetres); the loosened constraints last: their solution sits at their limits,
    // where more households lie a centimetre or so outside their cell.
    [
        Fit::Inside(STAYED_MARGIN_M),
        Fit::Exact,
        Fit::Within(GENERATOR_ROUNDING_M),
    ]
    .into_iter()
    .find_map(|fit| fit_power_as(&points, &weights, &labels, g, fit, &near))
}

/// The items of `all` at `at`.
fn pick<T: Copy>(all: &[T], at: &[usize]) -> Vec<T> {
    at.iter().map(|&i| all[i]).collect()
}

/// Takes the diagram `(g, power)` when it leaves fewer households outside their cell than
/// the assignment's own.
fn keep_better(points: &[[f64; 2]], result: &mut Balanced, g: Vec<[f64; 2]>, power: Vec<f64>) {
    let fitted = count_outside(points, &result.labels, &g, &power);
    if fitted < count_outside(points, &result.labels, &result.centers, &result.power) {
        result.centers = g;
        result.power = power;
    }
}

/// Moves the households outside their catchment's cell into the catchment whose cell
/// holds them, when the bounds allow and they did not stay where they were.
fn move_into_cells(
    points: &[[f64; 2]],
    weights: &[u32],
    previous: &[u32],
    result: &mut Balanced,
    b: RegionBounds,
) {
    let index = PowerIndex::new(&result.centers, &result.power);
    let mut buf = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let (l, cell) = (
            result.labels[i] as usize,
            index.nearest_one(*p, &mut buf) as usize,
        );
        let wi = u64::from(weights[i]);
        let stayed = previous[i] as usize == l;
        if l != cell && !stayed && result.sizes[l] >= b.lo + wi && result.sizes[cell] + wi <= b.hi {
            result.sizes[l] -= wi;
            result.sizes[cell] += wi;
            result.labels[i] = cell as u32;
        }
    }
}

/// Each catchment's geometric median (its generator where it has no households).
fn medians(points: &[[f64; 2]], weights: &[u32], labels: &[u32], k: usize) -> Vec<[f64; 2]> {
    let mut members: Vec<(Vec<[f64; 2]>, Vec<u32>)> = vec![(Vec::new(), Vec::new()); k];
    for ((p, &w), &l) in points.iter().zip(weights).zip(labels) {
        members[l as usize].0.push(*p);
        members[l as usize].1.push(w);
    }
    members
        .iter()
        .map(|(p, w)| {
            if p.is_empty() {
                [f64::NAN, f64::NAN]
            } else {
                crate::center::geometric_median(p, w, 1e-3)
            }
        })
        .collect()
}

/// Per catchment, its households that lie outside its power cell (by more than a
/// centimetre): those their stickiness kept, which its polygon must cover too.
pub(super) fn outsiders(points: &[[f64; 2]], result: &Balanced) -> Vec<Vec<[f64; 2]>> {
    let (g, y) = (&result.centers, &result.power);
    let index = PowerIndex::new(g, y);
    let mut extra: Vec<Vec<[f64; 2]>> = vec![Vec::new(); g.len()];
    let mut buf = Vec::new();
    for (p, &l) in points.iter().zip(&result.labels) {
        let pn = index.nearest_one(*p, &mut buf) as usize;
        let l = l as usize;
        if pn == l {
            continue;
        }
        let gap = (dist2(*p, g[l]) - y[l]) - (dist2(*p, g[pn]) - y[pn]);
        let across = 2.0 * dist2(g[l], g[pn]).sqrt();
        if across > 0.0 && gap / across > 0.01 {
            extra[l].push(*p);
        }
    }
    extra
}

/// Per catchment, its households outside its power cell or less than `margin` metres
/// inside it (so that a rounded polygon could miss them): for labels that are not a power
/// diagram at all, such as places exchanged to meet tight capacities (`balance::pack`),
/// whose households may lie exactly on a border.
pub(super) fn off_cells(points: &[[f64; 2]], result: &Balanced, margin: f64) -> Vec<Vec<[f64; 2]>> {
    let (g, y) = (&result.centers, &result.power);
    let index = PowerIndex::new(g, y);
    let mut extra: Vec<Vec<[f64; 2]>> = vec![Vec::new(); g.len()];
    let mut near = Vec::new();
    for (p, &l) in points.iter().zip(&result.labels) {
        let l = l as usize;
        index.nearest(*p, 2, &mut near);
        let inside = match near.as_slice() {
            [a, b] if *a as usize == l => {
                let (a, b) = (*a as usize, *b as usize);
                let gap = (dist2(*p, g[b]) - y[b]) - (dist2(*p, g[a]) - y[a]);
                let across = 2.0 * dist2(g[a], g[b]).sqrt();
                across > 0.0 && gap / across >= margin
            }
            [a] => *a as usize == l,
            _ => false,
        };
        if !inside {
            extra[l].push(*p);
        }
    }
    extra
}

/// A power diagram fitted to the travel objective's catchments (see [`fit_diagram`]),
/// started from its generators with power weights that match its additive ones at the
/// mean distance `r` of the households to their center (`(d − y)² ≈ d² − 2·r·y` where
/// `d ≈ r`): the start of the exact size-constrained power diagram the plan keeps
/// (`balance::power_diagram`).
pub(super) fn drawable_travel(points: &[[f64; 2]], weights: &[u32], result: &mut Balanced) {
    let (mut sum, mut total) = (0.0, 0.0);
    for ((p, &w), &l) in points.iter().zip(weights).zip(&result.labels) {
        sum += f64::from(w) * dist2(*p, result.centers[l as usize]).sqrt();
        total += f64::from(w);
    }
    let r = if total > 0.0 { sum / total } else { 0.0 };
    let power: Vec<f64> = result.power.iter().map(|&y| 2.0 * r * y).collect();
    let (g, w, _) = fit_diagram(
        points,
        &result.labels,
        &result.centers,
        &power,
        TRAVEL_ROUNDS,
        FitStop::Last,
    );
    result.centers = g;
    result.power = w;
}
