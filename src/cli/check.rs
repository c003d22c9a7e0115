//! `siting check`: the input profiled and checked without planning, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use siting::Job;
use siting::{Inspection, RegionProfile};

use super::args::JobArgs;

/// Bad rows listed one by one; the rest are counted.
const PROBLEMS_SHOWN: usize = 50;

#[derive(Debug, Args)]
pub(super) struct CheckArgs {
    #[command(flatten)]
    job: JobArgs,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

/// Inspects the input and prints the findings; exit status 2 when a plan would fail.
pub(super) fn run(args: &CheckArgs) -> Result<ExitCode> {
    let job = args.job.to_job();
    let report = siting::check_inputs(&job)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        print_report(&mut out, &job, &report)?;
    }
    Ok(if report.plan_would_succeed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// The findings as text: the inputs, the regions, the problems, the verdict.
fn print_report(out: &mut impl Write, job: &Job, report: &Inspection) -> Result<()> {
    print_inputs(out, job, report)?;
    print_regions(out, &report.regions)?;
    print_problems(out, report)?;
    print_verdict(out, report)
}

/// The households file with its counts (or why it cannot be planned) and the applicants.
fn print_inputs(out: &mut impl Write, job: &Job, report: &Inspection) -> Result<()> {
    writeln!(out, "{}", job.households.display())?;
    if let Some(fatal) = &report.fatal {
        writeln!(out, "  cannot be planned: {fatal}")?;
    } else {
        writeln!(
            out,
            "  {} rows, {} households, {} region(s)",
            report.rows,
            report.households,
            report.regions.len()
        )?;
    }
    if let Some((applicants, proposals)) = report.applicants {
        writeln!(
            out,
            "  {applicants} applicants, {proposals} proposals in {}",
            job.applicants
                .as_ref()
                .map_or(String::new(), |p| p.display().to_string())
        )?;
    }
    Ok(())
}

/// One row per region: its size, catchment count and bounds, or why it cannot be planned.
fn print_regions(out: &mut impl Write, regions: &[RegionProfile]) -> Result<()> {
    if !regions.is_empty() {
        writeln!(
            out,
            "  {:<28} {:>10} {:>10} {:>11} {:>11}",
            "region", "rows", "households", "catchments", "sizes"
        )?;
    }
    for r in regions {
        let name = if r.name.is_empty() {
            "(whole file)"
        } else {
            r.name.as_str()
        };
        match (&r.bounds, &r.problem) {
            (Some(b), _) => writeln!(
                out,
                "  {name:<28} {:>10} {:>10} {:>11} {:>11}",
                r.rows,
                r.households,
                b.k,
                format!("{}–{}", b.lo, b.hi)
            )?,
            (None, Some(p)) => writeln!(out, "  {name:<28} CANNOT BE PLANNED: {p}")?,
            (None, None) => {}
        }
    }
    Ok(())
}

/// The first bad rows, then the warnings.
fn print_problems(out: &mut impl Write, report: &Inspection) -> Result<()> {
    for p in report.problems.iter().take(PROBLEMS_SHOWN) {
        writeln!(out, "  problem: {}", p.reason)?;
    }
    if report.problems.len() > PROBLEMS_SHOWN {
        writeln!(
            out,
            "  … and {} more problems",
            report.problems.len() - PROBLEMS_SHOWN
        )?;
    }
    for w in &report.warnings {
        writeln!(out, "  warning: {w}")?;
    }
    Ok(())
}

/// Whether `siting plan` would succeed, and what to do when it would not.
fn print_verdict(out: &mut impl Write, report: &Inspection) -> Result<()> {
    if report.plan_would_succeed() {
        writeln!(out, "ok: siting plan would succeed with these inputs")?;
    } else {
        writeln!(
            out,
            "not ok: siting plan would stop{}",
            if report.problems.is_empty() {
                String::new()
            } else {
                format!(
                    " at the first of {} bad rows (or plan the rest with --skip-invalid)",
                    report.problems.len()
                )
            }
        )?;
    }
    Ok(())
}
