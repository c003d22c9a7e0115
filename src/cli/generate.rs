//! `siting generate`: synthetic households (and optionally applicants) written as CSV.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;

use siting::synth::GenerateOptions;

#[derive(Debug, Args)]
pub(super) struct GenerateArgs {
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

/// Generates the households, writes them, then the applicants if asked for.
pub(super) fn run(args: &GenerateArgs) -> Result<ExitCode> {
    let options = args.options();
    let rows = siting::synth::generate(&options)?;
    if args.out.as_os_str() == "-" {
        siting::synth::write_csv(&rows, std::io::stdout().lock())?;
    } else {
        siting::synth::write_csv(&rows, create(&args.out)?)?;
    }
    if let (Some(n), Some(path)) = (args.applicants, &args.applicants_out) {
        let applicants = siting::synth::applicants(&rows, n, options.seed);
        siting::synth::write_applicants_csv(&applicants, create(path)?)?;
    }
    Ok(ExitCode::SUCCESS)
}

impl GenerateArgs {
    /// The library's defaults, overridden by the options given.
    fn options(&self) -> GenerateOptions {
        let mut options = GenerateOptions::default();
        if let Some(n) = self.n {
            options.households = n;
        }
        if let Some(s) = self.seed {
            options.seed = s;
        }
        if !self.province.is_empty() {
            options.provinces = if self.province.iter().any(|p| p.eq_ignore_ascii_case("all")) {
                Vec::new()
            } else {
                self.province.clone()
            };
        }
        options
    }
}

/// A buffered writer to a new file at `path`.
fn create(path: &Path) -> Result<std::io::BufWriter<std::fs::File>> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(std::io::BufWriter::new(file))
}
