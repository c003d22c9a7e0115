//! `siting verify`: a plan folder re-run from its recorded inputs and parameters, and the
//! comparison printed file by file.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;

use siting::{FileStatus, InputCheck, Overrides, Verification, verify};

#[derive(Debug, Args)]
pub(super) struct VerifyArgs {
    /// The plan folder to check.
    plan: PathBuf,
    /// Use this households file instead of the one recorded in summary.json.
    #[arg(long)]
    households: Option<PathBuf>,
    /// Use this applicants file instead of the one recorded in summary.json.
    #[arg(long)]
    applicants: Option<PathBuf>,
    /// Read this sheet of the households workbook instead of the recorded one.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// Read this sheet of the applicants workbook instead of the recorded one.
    #[arg(long, value_name = "NAME")]
    applicants_sheet: Option<String>,
    /// Read text inputs in this encoding instead of the recorded one.
    #[arg(long, value_name = "LABEL")]
    encoding: Option<String>,
}

impl VerifyArgs {
    /// The language the plan was made in, as its `summary.json` records it (English when
    /// it cannot be read: the error then says why).
    pub(super) fn lang(&self) -> siting::lang::Lang {
        let recorded = std::fs::read(self.plan.join("summary.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
        let parameters = recorded.as_ref().map(|s| &s["parameters"]);
        parameters
            .and_then(|p| p["config"]["lang"].as_str().or(p["lang"].as_str()))
            .and_then(|code| code.parse().ok())
            .unwrap_or_default()
    }
}

/// Verifies the plan folder; exit status 1 when it is not reproduced.
pub(super) fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let overrides = Overrides {
        households: args.households.clone(),
        applicants: args.applicants.clone(),
        sheet: args.sheet.clone(),
        applicants_sheet: args.applicants_sheet.clone(),
        encoding: args.encoding.clone(),
    };
    let report = verify(&args.plan, &overrides)?;
    let mut out = std::io::stdout().lock();
    print_version_note(&mut out, &report.recorded_version)?;
    print_inputs(&mut out, &report.inputs)?;
    print_files(&mut out, &report.files)?;
    print_verdict(&mut out, args, &report)
}

/// A note when the plan was written by another version of siting.
fn print_version_note(out: &mut impl Write, recorded: &str) -> Result<()> {
    let this = env!("CARGO_PKG_VERSION");
    if recorded != this {
        writeln!(
            out,
            "note: the plan was written by siting {recorded}, this is {this}; outputs may differ for that reason"
        )?;
    }
    Ok(())
}

/// Each input, unchanged or changed since the plan was made.
fn print_inputs(out: &mut impl Write, inputs: &[InputCheck]) -> Result<()> {
    for input in inputs {
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
    Ok(())
}

/// Each file of the plan folder or the re-run, compared.
fn print_files(out: &mut impl Write, files: &[(String, FileStatus)]) -> Result<()> {
    for (name, status) in files {
        let what = match status {
            FileStatus::Identical => "identical",
            FileStatus::Differs => "DIFFERS",
            FileStatus::Extra => "EXTRA (not produced by the re-run)",
            FileStatus::Missing => "MISSING (the re-run produces it)",
        };
        writeln!(out, "{name}: {what}")?;
    }
    Ok(())
}

/// The last line, and the exit status it stands for.
fn print_verdict(
    out: &mut impl Write,
    args: &VerifyArgs,
    report: &Verification,
) -> Result<ExitCode> {
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
