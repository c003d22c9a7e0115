//! Argument parsing (clap derive) and the thin layer from arguments to library calls.
//! The library owns every default: options here are `Option`s that override it only when given.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use siting::WriteOptions;
use siting::text::thousands;
use siting::{AwardRule, PlanConfig};
use siting::{Job, Stage};

/// Plans neighbourhood welfare service centers from household coordinates.
#[derive(Debug, Parser)]
#[command(name = "siting", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Group households into balanced catchments, award centers to applicants, and write a
    /// plan folder.
    ///
    /// Example: siting plan data/qazvin_households.csv --applicants data/qazvin_applicants.csv --out plan/
    Plan(PlanArgs),
    /// Write realistic synthetic households (around real Iranian places) as CSV.
    ///
    /// Example: siting generate --n 24000 --province Qazvin --seed 1 --out households.csv
    Generate(GenerateArgs),
    /// Check and profile the input without planning.
    ///
    /// Reports rows, households, regions with their catchment counts and bounds, infeasible
    /// regions, outliers and every bad row with its line. Exit status 0 when `siting plan`
    /// would succeed with these inputs, 2 otherwise.
    ///
    /// Example: siting check data/qazvin_households.csv --applicants data/qazvin_applicants.csv --by county
    Check(CheckArgs),
    /// Re-run a plan and check that every file is reproduced byte for byte.
    ///
    /// Uses the inputs and parameters recorded in the plan's summary.json; reports changed
    /// inputs and every differing file. Exit status 0 when confirmed, 1 otherwise.
    ///
    /// Example: siting verify plan/   (or: siting verify plan/ --households moved/households.csv)
    Verify(VerifyArgs),
    /// Print a shell completion script.
    ///
    /// Example: siting completions bash > ~/.local/share/bash-completion/completions/siting
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

/// The inputs and parameters of a plan, shared by `plan` and `check`.
#[derive(Debug, Args)]
struct JobArgs {
    /// households.csv: household_id, lon, lat [, households] [, region columns]
    households: PathBuf,
    /// applicants.csv: applicant_id, preference, lon, lat [, score, eligible, max_centers]
    /// (or the wide layout applicant_id, site1_lon, site1_lat, …, site5_lon, site5_lat).
    #[arg(long, short)]
    applicants: Option<PathBuf>,
    /// How centers are awarded: priority (by score, each applicant's best open preference)
    /// or optimal (most total access) [library default: priority].
    #[arg(long, value_parser = parse_rule)]
    award: Option<AwardRule>,
    /// Smallest efficiency (ideal mean distance / site mean distance) a site needs to be
    /// awarded [library default: 0.6].
    #[arg(long)]
    min_efficiency: Option<f64>,
    /// A proposal outside every catchment but within this many metres of one is attached to
    /// the nearest [library default: 1000].
    #[arg(long)]
    site_reach: Option<f64>,
    /// Radii in metres for the "share of households within r of the site" figures, comma
    /// separated [library default: 1000,3000].
    #[arg(long, value_delimiter = ',')]
    access_radii: Vec<f64>,
    /// Households per catchment [library default: 450].
    #[arg(long)]
    target: Option<u32>,
    /// Allowed relative size deviation, e.g. 0.1 for ±10 % [library default: 0.1].
    #[arg(long)]
    tolerance: Option<f64>,
    /// Fixed total number of catchments (shared across regions by households).
    #[arg(long)]
    catchments: Option<usize>,
    /// Explicit smallest catchment size (households).
    #[arg(long)]
    min_size: Option<u32>,
    /// Explicit largest catchment size (households).
    #[arg(long)]
    max_size: Option<u32>,
    /// Plan each region separately: column name(s), comma separated (e.g. province,county).
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// Random seed [library default: 0].
    #[arg(long)]
    seed: Option<u64>,
    /// Iteration cap per region [library default: 100].
    #[arg(long)]
    max_iterations: Option<usize>,
    /// Independent starts per region, best kept [library default: 4].
    #[arg(long)]
    restarts: Option<usize>,
    /// CRS of the input coordinates, e.g. EPSG:32639 (needs the `proj` feature).
    #[arg(long)]
    crs: Option<String>,
}

#[derive(Debug, Args)]
struct PlanArgs {
    #[command(flatten)]
    job: JobArgs,
    /// Output folder for the plan (replaced atomically if it holds an older plan).
    #[arg(long, short, default_value = "plan")]
    out: PathBuf,
    /// Worker threads [default: all cores]. The plan is identical for any value.
    #[arg(long)]
    threads: Option<usize>,
    /// The plan's date, YYYY-MM-DD, shown on the map [default: today, UTC].
    #[arg(long)]
    date: Option<String>,
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

#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    job: JobArgs,
    /// Print the findings as JSON.
    #[arg(long)]
    json: bool,
}

impl JobArgs {
    /// The job these arguments describe.
    fn to_job(&self) -> Job {
        let mut job = Job::new(&self.households, self.to_config());
        job.applicants = self.applicants.clone();
        job.by = self.by.clone();
        if let Some(crs) = &self.crs {
            job.crs = crs.clone();
        }
        job
    }

    fn to_config(&self) -> PlanConfig {
        let mut c = PlanConfig::default();
        if let Some(v) = self.target {
            c = c.target_size(v);
        }
        if let Some(v) = self.tolerance {
            c = c.size_tolerance(v);
        }
        if let Some(v) = self.catchments {
            c = c.catchments(v);
        }
        c.min_size = self.min_size;
        c.max_size = self.max_size;
        if let Some(v) = self.seed {
            c = c.seed(v);
        }
        if let Some(v) = self.max_iterations {
            c = c.max_iterations(v);
        }
        if let Some(v) = self.restarts {
            c = c.restarts(v);
        }
        if let Some(v) = self.award {
            c = c.award_rule(v);
        }
        if let Some(v) = self.min_efficiency {
            c = c.min_efficiency(v);
        }
        if let Some(v) = self.site_reach {
            c = c.site_reach_m(v);
        }
        if !self.access_radii.is_empty() {
            c = c.access_radii_m(self.access_radii.clone());
        }
        c
    }
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The plan folder to check.
    plan: PathBuf,
    /// Use this households file instead of the one recorded in summary.json.
    #[arg(long)]
    households: Option<PathBuf>,
    /// Use this applicants file instead of the one recorded in summary.json.
    #[arg(long)]
    applicants: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct GenerateArgs {
    /// Number of households [default: 24000].
    #[arg(long, alias = "households")]
    n: Option<usize>,
    /// Province(s) to cover, comma separated; `all` for the whole country [default: Qazvin].
    #[arg(long, value_delimiter = ',')]
    province: Vec<String>,
    /// Random seed [default: 1].
    #[arg(long)]
    seed: Option<u64>,
    /// Output CSV file ("-" for standard output).
    #[arg(long, short)]
    out: PathBuf,
    /// Also generate this many applicants proposing sites around the households.
    #[arg(long, requires = "applicants_out")]
    applicants: Option<usize>,
    /// Where to write the generated applicants (long layout of SPEC §3).
    #[arg(long, requires = "applicants")]
    applicants_out: Option<PathBuf>,
}

fn parse_rule(s: &str) -> Result<AwardRule, String> {
    s.parse().map_err(|e: siting::Error| e.to_string())
}

/// Maps an error to the process exit status: 2 for anything the user can fix (bad input,
/// bad parameters, a missing input file, an unwritable output folder), 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<siting::Error>() {
        Some(_) => 2,
        None => 1,
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Plan(args) => run_plan(&args),
        Command::Generate(args) => run_generate(&args),
        Command::Verify(args) => run_verify(&args),
        Command::Check(args) => run_check(&args),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "siting", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// One note for all regions whose catchments interleave with other regions' (the largest
/// counts named), or `None` when none do.
fn interleave_note(regions: &[siting::RegionPlan]) -> Option<String> {
    const NAMED: usize = 5;
    let mut counts: Vec<(&str, usize)> = regions
        .iter()
        .filter(|r| r.unseparated_pairs > 0)
        .map(|r| (r.name.as_str(), r.unseparated_pairs))
        .collect();
    if counts.is_empty() {
        return None;
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let total: usize = counts.iter().map(|c| c.1).sum();
    let mut named: Vec<String> = counts
        .iter()
        .take(NAMED)
        .map(|(name, n)| format!("{name} {n}"))
        .collect();
    if counts.len() > NAMED {
        named.push(format!("{} more regions", counts.len() - NAMED));
    }
    Some(format!(
        "note: {total} catchment(s) in {} region(s) interleave with catchments of other regions \
         (no straight line separates their households: {}); their overlaps are split by nearest \
         household, so those catchments are not convex (per region: unseparated_pairs in \
         summary.json)",
        counts.len(),
        named.join(", ")
    ))
}

fn run_plan(args: &PlanArgs) -> Result<ExitCode> {
    let started = Instant::now();
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .context("setting up worker threads")?;
    }
    let mut job = args.job.to_job();
    job.skip_invalid = args.skip_invalid;
    if let Some(date) = &args.date {
        job.date = date.clone();
    }
    // Progress on a terminal only, and never with --quiet.
    let show = !args.quiet && std::io::stderr().is_terminal();
    let spinner = ProgressBar::hidden();
    let bar = ProgressBar::hidden();
    if show {
        spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    }
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    bar.set_style(
        ProgressStyle::with_template(
            "balancing {bar:30} {pos}/{len} households, {msg} regions ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let outcome = job.run(&|stage: Stage| match stage {
        Stage::Reading => spinner.set_message(format!("reading {}", args.job.households.display())),
        Stage::Balancing(p) => {
            if show && bar.is_hidden() {
                spinner.finish_and_clear();
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_length(p.households_total);
            bar.set_message(format!("{}/{}", p.regions_done, p.regions_total));
            bar.set_position(p.households_done);
        }
        Stage::Awarding => {
            bar.finish_and_clear();
            if show {
                spinner.reset();
                spinner.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            spinner.set_message("scoring proposals and awarding centers");
        }
    });
    spinner.finish_and_clear();
    bar.finish_and_clear();
    let outcome = outcome?;
    if let Some(sites) = &outcome.sites
        && !sites.applicants.ignored_columns.is_empty()
        && !args.quiet
    {
        eprintln!(
            "note: applicants file columns not used (never written to the plan): {}",
            sites.applicants.ignored_columns.join(", ")
        );
    }
    let writing = Instant::now();
    job.write(&outcome, &args.out, &WriteOptions { force: args.force })?;
    let mut phases = outcome.timings.clone();
    phases.push(("write", writing.elapsed().as_secs_f64()));
    let (plan, households) = (&outcome.plan, &outcome.households);
    let ok = plan.metrics.converged && plan.metrics.balanced;
    let elapsed = started.elapsed().as_secs_f64();
    if args.json {
        let audit = job.audit(&outcome)?;
        let sites = outcome.sites.as_ref();
        let mut value = siting::summary_json(plan, sites, households, &audit);
        if let Some(map) = value.as_object_mut() {
            map.insert("out".into(), args.out.display().to_string().into());
            map.insert("elapsed_s".into(), elapsed.into());
        }
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &value)?;
        writeln!(out)?;
    } else if !args.quiet {
        let mut out = std::io::stdout().lock();
        print_summary(
            &mut out,
            plan,
            outcome.sites.as_ref(),
            households,
            &args.out,
            &phases,
            elapsed,
        )?;
    }
    for w in &plan.warnings {
        eprintln!("warning: {}: {w}", args.job.households.display());
    }
    for r in &plan.regions {
        if r.households_outside > 0 {
            eprintln!(
                "warning: region '{}': {} household(s) lie outside their catchment's polygon \
                 (within a centimetre, after rounding to 7 decimals; or at the very place of a \
                 household of another region, which no boundary can separate)",
                r.name, r.households_outside
            );
        }
        if r.overlapping_pairs > 0 {
            eprintln!(
                "warning: region '{}': {} catchment polygon(s) still overlap catchments of other \
                 regions (their split by nearest household failed); please report this input",
                r.name, r.overlapping_pairs
            );
        }
        if !r.balanced || !r.converged {
            eprintln!(
                "warning: region '{}' {} after {} iterations (sizes {}–{}, bounds {}–{})",
                r.name,
                if r.balanced {
                    "did not converge"
                } else {
                    "is out of its size bounds"
                },
                r.iterations,
                r.smallest,
                r.largest,
                r.min_size,
                r.max_size
            );
        }
    }
    if !args.quiet
        && let Some(note) = interleave_note(&plan.regions)
    {
        eprintln!("{note}");
    }
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

/// The compact terminal summary of a plan.
fn print_summary(
    out: &mut impl Write,
    plan: &siting::Plan,
    sites: Option<&siting::SitePlan>,
    households: &siting::Households,
    dir: &std::path::Path,
    phases: &[(&str, f64)],
    elapsed: f64,
) -> Result<()> {
    let m = &plan.metrics;
    let detail: Vec<String> = phases
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.2}"))
        .collect();
    writeln!(
        out,
        "plan written to {} in {elapsed:.2} s ({})",
        dir.display(),
        detail.join(", ")
    )?;
    writeln!(
        out,
        "  households  {} in {} rows{}, {} region{}",
        thousands(m.households),
        thousands(m.rows as u64),
        if households.rejected.is_empty() {
            String::new()
        } else {
            format!(
                " ({} rows rejected: rejected.csv)",
                households.rejected.len()
            )
        },
        plan.regions.len(),
        if plan.regions.len() == 1 { "" } else { "s" }
    )?;
    let (lo, hi) = (
        plan.regions.iter().map(|r| r.min_size).min().unwrap_or(0),
        plan.regions.iter().map(|r| r.max_size).max().unwrap_or(0),
    );
    writeln!(
        out,
        "  catchments  {}, sizes {}–{} (bounds {}–{})",
        m.catchments, m.smallest_catchment, m.largest_catchment, lo, hi
    )?;
    writeln!(
        out,
        "  distance    to the ideal center: mean {} m, p90 {} m, max {} m",
        thousands(m.mean_distance_m.round() as u64),
        thousands(m.p90_distance_m.round() as u64),
        thousands(m.max_distance_m.round() as u64)
    )?;
    if let Some(sites) = sites {
        let eligible = sites.applicants.items.iter().filter(|a| a.eligible).count();
        let outside = sites
            .proposals
            .iter()
            .filter(|s| s.catchment().is_none())
            .count();
        writeln!(
            out,
            "  applicants  {} ({} eligible), {} proposals ({} outside the plan area){}",
            sites.applicants.len(),
            eligible,
            sites.proposals.len(),
            outside,
            if sites.applicants.rejected.is_empty() {
                String::new()
            } else {
                format!(", {} rows rejected", sites.applicants.rejected.len())
            }
        )?;
        writeln!(
            out,
            "  award rule   catchments  households served  mean efficiency  total access"
        )?;
        for (rule, t) in &sites.comparison {
            let mark = if *rule == sites.award.rule { "*" } else { " " };
            writeln!(
                out,
                "  {mark}{:<11} {:>10}  {:>17}  {:>15.3}  {:>12}",
                rule.name(),
                t.catchments_awarded,
                thousands(t.households_served),
                t.mean_efficiency,
                thousands(t.access.round() as u64)
            )?;
        }
        let shown: Vec<&str> = sites
            .gaps
            .iter()
            .take(12)
            .map(|&c| plan.catchments[c as usize].id.as_str())
            .collect();
        let more = if sites.gaps.len() > shown.len() {
            format!(
                ", … ({} more in summary.json)",
                sites.gaps.len() - shown.len()
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "  gaps        {} of {} catchments without a center{}{}{}",
            sites.gaps.len(),
            plan.catchments.len(),
            if shown.is_empty() { "" } else { ": " },
            shown.join(", "),
            more
        )?;
    }
    if plan.regions.len() > 1 {
        // Per-region table: awarded and gaps per region when there are applicants.
        let mut awarded = vec![0usize; plan.regions.len()];
        if let Some(sites) = sites {
            for (c, site) in sites.award.catchment_site.iter().enumerate() {
                if site.is_some() {
                    awarded[plan.catchments[c].region as usize] += 1;
                }
            }
        }
        let mut mean = vec![(0.0f64, 0u64); plan.regions.len()];
        for c in &plan.catchments {
            let slot = &mut mean[c.region as usize];
            slot.0 += c.distance.mean_m * c.households as f64;
            slot.1 += c.households;
        }
        writeln!(
            out,
            "  {:<24} {:>10} {:>10} {:>9} {:>8}{}",
            "region",
            "households",
            "catchments",
            "sizes",
            "mean m",
            if sites.is_some() {
                "  awarded  gaps"
            } else {
                ""
            }
        )?;
        const SHOWN: usize = 40;
        for (r, info) in plan.regions.iter().enumerate().take(SHOWN) {
            let name: String = info.name.chars().take(24).collect();
            writeln!(
                out,
                "  {name:<24} {:>10} {:>10} {:>9} {:>8}{}",
                thousands(info.households),
                info.catchments,
                format!("{}–{}", info.smallest, info.largest),
                thousands((mean[r].0 / mean[r].1.max(1) as f64).round() as u64),
                if sites.is_some() {
                    format!("  {:>7}  {:>4}", awarded[r], info.catchments - awarded[r])
                } else {
                    String::new()
                }
            )?;
        }
        if plan.regions.len() > SHOWN {
            writeln!(
                out,
                "  … {} more regions in summary.json",
                plan.regions.len() - SHOWN
            )?;
        }
    }
    Ok(())
}

fn run_check(args: &CheckArgs) -> Result<ExitCode> {
    let job = args.job.to_job();
    let report = siting::check_inputs(&job)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
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
        if !report.regions.is_empty() {
            writeln!(
                out,
                "  {:<28} {:>10} {:>10} {:>11} {:>11}",
                "region", "rows", "households", "catchments", "sizes"
            )?;
        }
        for r in &report.regions {
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
        for p in report.problems.iter().take(50) {
            writeln!(out, "  problem: {}", p.reason)?;
        }
        if report.problems.len() > 50 {
            writeln!(out, "  … and {} more problems", report.problems.len() - 50)?;
        }
        for w in &report.warnings {
            writeln!(out, "  warning: {w}")?;
        }
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
    }
    Ok(if report.plan_would_succeed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn run_verify(args: &VerifyArgs) -> Result<ExitCode> {
    use siting::{FileStatus, Overrides, verify};
    let overrides = Overrides {
        households: args.households.clone(),
        applicants: args.applicants.clone(),
    };
    let report = verify(&args.plan, &overrides)?;
    let mut out = std::io::stdout().lock();
    if report.recorded_version != env!("CARGO_PKG_VERSION") {
        writeln!(
            out,
            "note: the plan was written by siting {}, this is {}; outputs may differ for that reason",
            report.recorded_version,
            env!("CARGO_PKG_VERSION")
        )?;
    }
    for input in &report.inputs {
        if input.unchanged() {
            writeln!(
                out,
                "input {}: unchanged (sha256 {})",
                input.path.display(),
                input.actual
            )?;
        } else {
            writeln!(
                out,
                "input {}: CHANGED (recorded sha256 {}, now {})",
                input.path.display(),
                input.recorded,
                input.actual
            )?;
        }
    }
    for (name, status) in &report.files {
        let what = match status {
            FileStatus::Identical => "identical",
            FileStatus::Differs => "DIFFERS",
            FileStatus::Extra => "EXTRA (not produced by the re-run)",
            FileStatus::Missing => "MISSING (the re-run produces it)",
        };
        writeln!(out, "{name}: {what}")?;
    }
    if report.confirmed() {
        writeln!(
            out,
            "verified: {} is reproduced byte for byte",
            args.plan.display()
        )?;
        Ok(ExitCode::SUCCESS)
    } else {
        writeln!(out, "NOT verified: {}", args.plan.display())?;
        Ok(ExitCode::from(1))
    }
}

fn run_generate(args: &GenerateArgs) -> Result<ExitCode> {
    let mut options = siting::synth::GenerateOptions::default();
    if let Some(n) = args.n {
        options.households = n;
    }
    if let Some(s) = args.seed {
        options.seed = s;
    }
    if !args.province.is_empty() {
        options.provinces = if args.province.iter().any(|p| p.eq_ignore_ascii_case("all")) {
            Vec::new()
        } else {
            args.province.clone()
        };
    }
    let rows = siting::synth::generate(&options)?;
    if args.out.as_os_str() == "-" {
        siting::synth::write_csv(&rows, std::io::stdout().lock())?;
    } else {
        let file = std::fs::File::create(&args.out)
            .with_context(|| format!("creating {}", args.out.display()))?;
        siting::synth::write_csv(&rows, std::io::BufWriter::new(file))?;
    }
    if let (Some(n), Some(path)) = (args.applicants, &args.applicants_out) {
        let applicants = siting::synth::applicants(&rows, n, options.seed);
        let file =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        siting::synth::write_applicants_csv(&applicants, std::io::BufWriter::new(file))?;
    }
    Ok(ExitCode::SUCCESS)
}
