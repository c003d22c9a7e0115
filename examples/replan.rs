//! Re-planning a grown file around the network planned a year before: how many households
//! that stayed are moved, and how compact the catchments stay against a fresh plan.
//!
//! `cargo run --release --example replan [n] [seed]`

use siting::{Households, PlanConfig, Planner, Previous};

fn main() -> Result<(), siting::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(24_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let stickiness: f64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1.0);
    // One draw of 1.1 n households: the first n are last year's file; this year's drops
    // every 33rd of them (3 %) and adds the other 0.1 n (spread like the old ones).
    let all = siting::synth::households(n + n / 10, seed);
    let (before, after) = siting::synth::years(&all, n, 33);
    let planner = Planner::new(PlanConfig::default().stickiness(stickiness))?;
    let first = planner.plan(&before)?;
    let previous = Previous::from_plan(&first, &before, None);
    let t = std::time::Instant::now();
    let replan = planner.replan(&after, &previous)?;
    let t_replan = t.elapsed().as_secs_f64();
    let t = std::time::Instant::now();
    let fresh = planner.plan(&after)?;
    let t_fresh = t.elapsed().as_secs_f64();
    let churn = &replan.replan.as_ref().expect("a re-plan").total;
    println!(
        "moved {} of {} households ({:.2} %), new {}, left {}; catchments {} -> {}",
        churn.moved,
        churn.stayed + churn.moved,
        100.0 * churn.moved_share(),
        churn.new,
        churn.left,
        first.catchments.len(),
        replan.catchments.len()
    );
    println!(
        "mean distance to centroid: re-plan {:.1} m, fresh {:.1} m, ratio {:.4}",
        mean_to_centroid(&replan, &after),
        mean_to_centroid(&fresh, &after),
        mean_to_centroid(&replan, &after) / mean_to_centroid(&fresh, &after)
    );
    let changes = &replan.replan.as_ref().expect("a re-plan").catchments;
    for kind in [
        siting::Change::Kept,
        siting::Change::ReTender,
        siting::Change::New,
    ] {
        let (mut sum, mut w) = (0.0, 0.0);
        for (c, ch) in replan.catchments.iter().zip(changes) {
            if ch.change == kind {
                sum += c.distance.mean_m * c.households as f64;
                w += c.households as f64;
            }
        }
        if w > 0.0 {
            println!(
                "  {}: mean distance to ideal center {:.1} m over {w} households",
                kind.name(),
                sum / w
            );
        }
    }
    println!(
        "balanced {}, sizes {}..{}; time re-plan {t_replan:.2} s, fresh {t_fresh:.2} s",
        replan.metrics.balanced,
        replan.metrics.smallest_catchment,
        replan.metrics.largest_catchment
    );
    Ok(())
}

/// Mean household distance to its catchment's centroid, m (local flat approximation).
fn mean_to_centroid(plan: &siting::Plan, hh: &Households) -> f64 {
    let k = plan.catchments.len();
    let mut sum = vec![[0.0f64; 3]; k];
    for (h, &c) in hh.items.iter().zip(&plan.assignment) {
        let w = f64::from(h.weight);
        let s = &mut sum[c as usize];
        s[0] += w * h.position.lon;
        s[1] += w * h.position.lat;
        s[2] += w;
    }
    let (mut total, mut weight) = (0.0, 0.0);
    for (h, &c) in hh.items.iter().zip(&plan.assignment) {
        let s = sum[c as usize];
        let (lon, lat) = (s[0] / s[2], s[1] / s[2]);
        let dx = (h.position.lon - lon) * 111_195.0 * lat.to_radians().cos();
        let dy = (h.position.lat - lat) * 111_195.0;
        total += f64::from(h.weight) * dx.hypot(dy);
        weight += f64::from(h.weight);
    }
    total / weight
}
