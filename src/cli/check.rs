//! `siting check`: the input profiled and checked without planning, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use siting::Job;
use siting::lang::{Args as Words, Lang};
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

impl CheckArgs {
    /// The language of the findings and of the errors (`--lang`).
    pub(super) fn lang(&self) -> Lang {
        self.job.lang()
    }
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
        print_report(&mut out, &job, &report, args.lang())?;
    }
    Ok(if report.plan_would_succeed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// A figure in `lang`'s digits.
fn fig(lang: Lang, n: impl std::fmt::Display) -> String {
    lang.digits(&n.to_string())
}

/// The findings as text: the inputs, the regions, the problems, the verdict.
fn print_report(out: &mut impl Write, job: &Job, report: &Inspection, lang: Lang) -> Result<()> {
    print_inputs(out, job, report, lang)?;
    print_regions(out, &report.regions, lang)?;
    print_problems(out, report, lang)?;
    print_verdict(out, report, lang)
}

/// The households file with its counts (or why it cannot be planned) and the applicants.
fn print_inputs(out: &mut impl Write, job: &Job, report: &Inspection, lang: Lang) -> Result<()> {
    writeln!(out, "{}", job.households.display())?;
    if let Some(fatal) = &report.fatal {
        let line = lang.format(
            "check-cannot-be-planned",
            &Words::new().text("problem", fatal.as_str()),
        );
        writeln!(out, "  {line}")?;
    } else {
        let line = lang.format(
            "check-households",
            &Words::new()
                .text("rows", fig(lang, report.rows))
                .text("households", fig(lang, report.households))
                .text("regions", fig(lang, report.regions.len())),
        );
        writeln!(out, "  {line}")?;
    }
    if let Some((applicants, proposals)) = report.applicants {
        let path = job
            .applicants
            .as_ref()
            .map_or(String::new(), |p| p.display().to_string());
        let line = lang.format(
            "check-applicants",
            &Words::new()
                .text("applicants", fig(lang, applicants))
                .text("proposals", fig(lang, proposals))
                .text("path", path),
        );
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// One row per region: its size, catchment count and bounds, or why it cannot be planned.
fn print_regions(out: &mut impl Write, regions: &[RegionProfile], lang: Lang) -> Result<()> {
    if !regions.is_empty() {
        writeln!(
            out,
            "  {:<28} {:>10} {:>10} {:>11} {:>11}",
            lang.tr("check-column-region"),
            lang.tr("check-column-rows"),
            lang.tr("check-column-households"),
            lang.tr("check-column-catchments"),
            lang.tr("check-column-sizes")
        )?;
    }
    let whole_file = lang.tr("check-whole-file");
    for r in regions {
        let name = if r.name.is_empty() {
            whole_file.as_str()
        } else {
            r.name.as_str()
        };
        match (&r.bounds, &r.problem) {
            (Some(b), _) => writeln!(
                out,
                "  {name:<28} {:>10} {:>10} {:>11} {:>11}",
                fig(lang, r.rows),
                fig(lang, r.households),
                fig(lang, b.k),
                fig(lang, format!("{}–{}", b.lo, b.hi))
            )?,
            (None, Some(p)) => {
                let problem = lang.format(
                    "check-region-cannot-be-planned",
                    &Words::new().text("problem", p.as_str()),
                );
                writeln!(out, "  {name:<28} {problem}")?
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// The first bad rows, then the warnings.
fn print_problems(out: &mut impl Write, report: &Inspection, lang: Lang) -> Result<()> {
    for p in report.problems.iter().take(PROBLEMS_SHOWN) {
        let line = lang.format(
            "check-problem",
            &Words::new().text("reason", p.reason.as_str()),
        );
        writeln!(out, "  {line}")?;
    }
    if report.problems.len() > PROBLEMS_SHOWN {
        let more = report.problems.len() - PROBLEMS_SHOWN;
        let line = lang.format(
            "check-more-problems",
            &Words::new().text("more", fig(lang, more)),
        );
        writeln!(out, "  {line}")?;
    }
    for w in &report.warnings {
        let line = lang.format(
            "check-warning",
            &Words::new().text("warning", w.to_string()),
        );
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

/// Whether `siting plan` would succeed, and what to do when it would not.
fn print_verdict(out: &mut impl Write, report: &Inspection, lang: Lang) -> Result<()> {
    let line = if report.plan_would_succeed() {
        lang.tr("check-ok")
    } else if report.problems.is_empty() {
        lang.tr("check-not-ok")
    } else {
        lang.format(
            "check-not-ok-bad-rows",
            &Words::new().text("rows", fig(lang, report.problems.len())),
        )
    };
    writeln!(out, "{line}")?;
    Ok(())
}
