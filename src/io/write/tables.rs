//! The plan's CSV tables: `assignments.csv` (private: household ids), `applicants.csv`
//! (one outcome and reason per applicant) and `rejected.csv` (private: raw rows).

use std::io::Write;

use crate::error::{Error, Result};
use crate::model::Households;
use crate::plan::Plan;
use crate::sites::{ScoredProposal, SitePlan};

/// Writes `assignments.csv` (`household_id,catchment_id,distance_m`) in input order.
///
/// The rows are formatted in parallel, some 32,000 to a piece and a few pieces at a time,
/// then written in order: the same bytes as one writer, with memory bounded by a batch.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_assignments<W: Write>(plan: &Plan, households: &Households, out: W) -> Result<()> {
    write_assignments_in(plan, households, out, ROWS_PER_PIECE)
}

/// [`write_assignments`] with pieces of `rows_per_piece` rows.
fn write_assignments_in<W: Write>(
    plan: &Plan,
    households: &Households,
    mut out: W,
    rows_per_piece: usize,
) -> Result<()> {
    use rayon::prelude::*;
    let rows_per_piece = rows_per_piece.max(1);
    let io_err = |e: std::io::Error| Error::io("writing", "assignments.csv", e);
    let csv_err = |e: csv::Error| io_err(std::io::Error::other(e));
    // Each piece is a complete CSV fragment from its own writer (quoting depends only on
    // a field's content, so pieces join into the file one writer would make).
    let piece = |rows: std::ops::Range<usize>| -> Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::with_capacity(rows.len() * 32));
        let mut d = String::new();
        for i in rows {
            use std::fmt::Write as _;
            let c = &plan.catchments[plan.assignment[i] as usize];
            d.clear();
            // Writing to a String cannot fail.
            let _ = write!(d, "{:.1}", plan.distance_m[i]);
            w.write_record([households.items[i].id.as_str(), c.id.as_str(), d.as_str()])
                .map_err(csv_err)?;
        }
        w.into_inner().map_err(|e| io_err(e.into_error()))
    };
    let mut header = csv::Writer::from_writer(Vec::new());
    header
        .write_record(["household_id", "catchment_id", "distance_m"])
        .map_err(csv_err)?;
    out.write_all(&header.into_inner().map_err(|e| io_err(e.into_error()))?)
        .map_err(io_err)?;
    let n = households.items.len();
    let batch = rows_per_piece.saturating_mul(PIECES_PER_BATCH);
    for first in (0..n).step_by(batch) {
        let ranges: Vec<std::ops::Range<usize>> = (first..first.saturating_add(batch).min(n))
            .step_by(rows_per_piece)
            .map(|s| s..s.saturating_add(rows_per_piece).min(n))
            .collect();
        let pieces: Vec<Result<Vec<u8>>> = ranges.into_par_iter().map(piece).collect();
        for p in pieces {
            out.write_all(&p?).map_err(io_err)?;
        }
    }
    out.flush().map_err(io_err)
}

/// Rows of `assignments.csv` formatted together by [`write_assignments`].
const ROWS_PER_PIECE: usize = 32_768;
/// Pieces of [`write_assignments`] formatted at once (about 8 MB for national files).
const PIECES_PER_BATCH: usize = 8;

/// Writes the `applicants.csv` outcome table: one row per applicant with the outcome, the
/// awarded catchment(s) and preference(s), the awarded site's efficiency, the applicant's
/// position in the priority order and a reason a person can read; `sites` were awarded in
/// `plan`.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_applicants<W: Write>(plan: &Plan, sites: &SitePlan, out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| Error::io("writing", "applicants.csv", std::io::Error::other(e));
    w.write_record([
        "applicant_id",
        "outcome",
        "catchment_id",
        "preference",
        "efficiency",
        "mean_distance_m",
        "priority_position",
        "reason",
    ])
    .map_err(err)?;
    {
        for (a, result) in sites.award.applicants.iter().enumerate() {
            let won = result.awarded.iter().map(|&i| &sites.proposals[i]);
            let join = |f: &dyn Fn(&ScoredProposal) -> String| {
                won.clone().map(f).collect::<Vec<_>>().join(";")
            };
            let catchments = join(&|s| {
                s.catchment()
                    .map_or(String::new(), |c| plan.catchments[c as usize].id.clone())
            });
            let preferences = join(&|s| s.preference.to_string());
            let efficiency = join(&|s| s.efficiency().map_or(String::new(), |e| format!("{e:.4}")));
            let mean = join(&|s| {
                s.access
                    .as_ref()
                    .map_or(String::new(), |x| format!("{:.1}", x.mean_distance_m))
            });
            let position = (sites.priority[a] + 1).to_string();
            w.write_record([
                sites.applicants.items[a].id.as_str(),
                result.outcome.name(),
                &catchments,
                &preferences,
                &efficiency,
                &mean,
                &position,
                &result.reason,
            ])
            .map_err(err)?;
        }
    }
    w.flush()
        .map_err(|e| Error::io("writing", "applicants.csv", e))
}

/// Writes `rejected.csv` (`file,line,raw,reason`): the rows `--skip-invalid` set aside.
/// **Private**: the raw rows hold household ids and locations.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_rejected<'a, W: Write>(
    rows: impl IntoIterator<Item = &'a crate::model::Rejected>,
    out: W,
) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let err = |e: csv::Error| Error::io("writing", "rejected.csv", std::io::Error::other(e));
    w.write_record(["file", "line", "raw", "reason"])
        .map_err(err)?;
    for r in rows {
        w.write_record([
            r.file.as_str(),
            &r.line.to_string(),
            r.raw.as_str(),
            r.reason.as_str(),
        ])
        .map_err(err)?;
    }
    w.flush()
        .map_err(|e| Error::io("writing", "rejected.csv", e))
}

/// Writes `moves.csv` (private, like `assignments.csv`: it names households): one row per
/// household whose center changed in a re-plan, that is new, or that left, with
/// `household_id, from, to, reason, households`; `from` is empty for a new household and
/// `to` for one that left. Nothing is written for a plan from scratch.
///
/// # Errors
/// [`Error::Io`] when writing fails.
pub fn write_moves<W: Write>(plan: &Plan, out: W) -> Result<()> {
    let io_err = |e: csv::Error| Error::io("writing", "moves.csv", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["household_id", "from", "to", "reason", "households"])
        .map_err(io_err)?;
    let Some(replan) = &plan.replan else {
        return w.flush().map_err(|e| Error::io("writing", "moves.csv", e));
    };
    for m in &replan.moves {
        w.write_record([
            m.household.as_str(),
            m.from.as_deref().unwrap_or(""),
            m.to.as_deref().unwrap_or(""),
            m.reason.name(),
            m.weight.to_string().as_str(),
        ])
        .map_err(io_err)?;
    }
    w.flush().map_err(|e| Error::io("writing", "moves.csv", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The file one csv writer makes, row by row (the writer before pieces).
    fn one_writer(plan: &Plan, households: &Households) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["household_id", "catchment_id", "distance_m"])
            .unwrap();
        for (i, h) in households.items.iter().enumerate() {
            let c = &plan.catchments[plan.assignment[i] as usize];
            let d = format!("{:.1}", plan.distance_m[i]);
            w.write_record([h.id.as_str(), c.id.as_str(), d.as_str()])
                .unwrap();
        }
        w.into_inner().unwrap()
    }

    #[test]
    fn assignments_in_pieces_are_the_bytes_of_one_writer() {
        let mut households = crate::synth::households(2_000, 3);
        let plan = crate::Planner::new(crate::PlanConfig::default())
            .unwrap()
            .plan(&households)
            .unwrap();
        // Ids that need quoting, and non-ASCII ones.
        for (i, h) in households.items.iter_mut().enumerate().step_by(97) {
            h.id = match i % 4 {
                0 => format!("a,{i}"),
                1 => format!("say \"{i}\""),
                2 => format!("line\nbreak {i}"),
                _ => format!("خانوار {i}"),
            };
        }
        let expected = one_writer(&plan, &households);
        for rows in [1, 7, 64, 1_999, 2_000, ROWS_PER_PIECE] {
            let mut got = Vec::new();
            write_assignments_in(&plan, &households, &mut got, rows).unwrap();
            assert_eq!(got, expected, "{rows} rows per piece");
        }
    }
}
