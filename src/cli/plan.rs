//! `siting plan`: the job run with a progress display, the plan folder written, then the
//! summary (or JSON) and the warnings printed.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;

use siting::SitePlan;
use siting::{Job, JobOutput};
use siting::{WriteOptions, summary_json};

use super::args::JobArgs;
use super::progress::Progress;
use super::summary::{Written, print_summary};
use super::warnings::{print_ignored_columns, print_warnings};

#[derive(Debug, Args)]
pub(super) struct PlanArgs {
    #[command(flatten)]
    job: JobArgs,
    /// Output folder for the plan (replaced atomically if it holds an older plan).
    #[arg(long, short, default_value = "plan")]
    out: PathBuf,
    /// Worker threads [default: all cores]. The plan is identical for any value.
    #[arg(long)]
    threads: Option<usize>,
    /// The plan's date, YYYY-MM-DD, shown on the map and in report.html [default: today,
    /// UTC].
    #[arg(long)]
    date: Option<String>,
    /// A tile URL template for report.html's background map, e.g.
    /// 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' [default: none: the report needs no
    /// network]. Recorded in summary.json, so `siting verify` writes the same page.
    #[arg(long, value_name = "URL_TEMPLATE")]
    basemap: Option<String>,
    /// Set bad rows aside in the plan's rejected.csv (line, raw text, reason) instead of
    /// stopping at the first one.
    #[arg(long)]
    skip_invalid: bool,
    /// Replace --out even if it is a non-empty folder that is not a siting plan.
    #[arg(long)]
    force: bool,
    /// Exit with status 1 if a region did not converge or a catchment is out of bounds.
    #[arg(long)]
    strict: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Print the summary as JSON (summary.json plus the output folder and elapsed time)
    /// instead of the table.
    #[arg(long)]
    json: bool,
}

/// Plans, writes the folder and reports; exit status 1 with `--strict` when a region did
/// not converge or is out of bounds.
pub(super) fn run(args: &PlanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    set_threads(args.threads)?;
    let job = args.to_job();
    let outcome = run_job(&job, args)?;
    // The one place the applicants' results are read from the plan.
    let sites = outcome.sites.as_ref();
    if !args.quiet {
        print_ignored_columns(&mut std::io::stderr().lock(), job.config.lang, sites)?;
    }
    let phases = write(&job, &outcome, args)?;
    let written = Written {
        dir: &args.out,
        phases: &phases,
        elapsed: started.elapsed().as_secs_f64(),
    };
    report(args, &job, &outcome, sites, &written)?;
    let plan = &outcome.plan;
    let ok = plan.metrics.converged && plan.metrics.balanced;
    let code = if ok || !args.strict {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    // The process ends here: its memory goes back whole, faster than freeing every
    // household's id one by one (tens of milliseconds on national files).
    std::mem::forget(outcome);
    Ok(code)
}

impl PlanArgs {
    /// The language of the plan's text and of its errors (`--lang`).
    pub(super) fn lang(&self) -> siting::lang::Lang {
        self.job.lang()
    }

    /// The job these arguments describe.
    fn to_job(&self) -> Job {
        let mut job = self.job.to_job();
        job.skip_invalid = self.skip_invalid;
        if let Some(date) = &self.date {
            job.date = date.clone();
        }
        job.basemap = self.basemap.clone();
        job
    }
}

/// Sizes the global worker pool when `--threads` is given.
fn set_threads(threads: Option<usize>) -> Result<()> {
    if let Some(n) = threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up worker threads")?;
    }
    Ok(())
}

/// Runs the job with progress on a terminal only, and never with `--quiet`.
fn run_job(job: &Job, args: &PlanArgs) -> Result<JobOutput> {
    let progress = Progress::new(
        !args.quiet && std::io::stderr().is_terminal(),
        job.config.lang,
    );
    let outcome = job.run(&|stage| progress.stage(stage, &args.job.households));
    progress.finish();
    Ok(outcome?)
}

/// Writes the plan folder; the seconds of each phase, writing last.
fn write(job: &Job, outcome: &JobOutput, args: &PlanArgs) -> Result<Vec<(&'static str, f64)>> {
    let writing = Instant::now();
    job.write(outcome, &args.out, &WriteOptions { force: args.force })?;
    let mut phases = outcome.timings.clone();
    phases.push(("write", writing.elapsed().as_secs_f64()));
    Ok(phases)
}

/// The summary (or JSON with `--json`, nothing with `--quiet`), then the warnings.
fn report(
    args: &PlanArgs,
    job: &Job,
    outcome: &JobOutput,
    sites: Option<&SitePlan>,
    written: &Written,
) -> Result<()> {
    let plan = &outcome.plan;
    if args.json {
        print_json(job, outcome, written)?;
    } else if !args.quiet {
        let mut out = std::io::stdout().lock();
        print_summary(&mut out, plan, sites, &outcome.households, written)?;
    }
    let mut err = std::io::stderr().lock();
    print_warnings(&mut err, plan, &args.job.households, args.quiet)
}

/// summary.json with the output folder and the elapsed seconds, on standard output.
fn print_json(job: &Job, outcome: &JobOutput, written: &Written) -> Result<()> {
    let audit = job.audit(outcome)?;
    let sites = outcome.sites.as_ref();
    let mut value = summary_json(&outcome.plan, sites, &outcome.households, &audit);
    if let Some(map) = value.as_object_mut() {
        map.insert("out".into(), written.dir.display().to_string().into());
        map.insert("elapsed_s".into(), written.elapsed.into());
    }
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &value)?;
    writeln!(out)?;
    Ok(())
}
