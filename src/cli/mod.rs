//! The `siting` command line: the parsed arguments and the dispatch to one module per
//! subcommand. All work is done by the library; these modules turn arguments into library
//! calls and results into terminal text.

mod args;
mod check;
mod columns;
mod completions;
mod errors;
mod generate;
mod plan;
mod progress;
mod summary;
mod verify;
mod warnings;

use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

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
    Plan(plan::PlanArgs),
    /// Write realistic synthetic households (around real Iranian places) as CSV.
    ///
    /// Example: siting generate --n 24000 --province Qazvin --seed 1 --out households.csv
    Generate(generate::GenerateArgs),
    /// Check and profile the input without planning.
    ///
    /// Reports rows, households, regions with their catchment counts and bounds, infeasible
    /// regions, outliers and every bad row with its line. Exit status 0 when `siting plan`
    /// would succeed with these inputs, 2 otherwise.
    ///
    /// Example: siting check data/qazvin_households.csv --applicants data/qazvin_applicants.csv --by county
    Check(check::CheckArgs),
    /// Re-run a plan and check that every file is reproduced byte for byte.
    ///
    /// Uses the inputs and parameters recorded in the plan's summary.json; reports changed
    /// inputs and every differing file. Exit status 0 when confirmed, 1 otherwise.
    ///
    /// Example: siting verify plan/   (or: siting verify plan/ --households moved/households.csv)
    Verify(verify::VerifyArgs),
    /// Print a shell completion script.
    ///
    /// Example: siting completions bash > ~/.local/share/bash-completion/completions/siting
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
}

pub use errors::message as error_message;

impl Cli {
    /// The language of the command's messages, errors included: `--lang` for `plan` and
    /// `check`, the language recorded in the plan for `verify`, English otherwise.
    pub fn lang(&self) -> siting::lang::Lang {
        match &self.command {
            Command::Plan(args) => args.lang(),
            Command::Check(args) => args.lang(),
            Command::Verify(args) => args.lang(),
            Command::Generate(_) | Command::Completions { .. } => siting::lang::Lang::En,
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Plan(args) => plan::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Completions { shell } => completions::run(shell),
    }
}

/// Maps an error to the process exit status: 2 for anything the user can fix (bad input,
/// bad parameters, a missing input file, an unwritable output folder), 1 otherwise.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    match err.downcast_ref::<siting::Error>() {
        Some(_) => 2,
        None => 1,
    }
}

/// True when the error is a closed pipe (the reader of standard output stopped early),
/// wherever it is in the chain: as an I/O error or inside a JSON, CSV or library error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| io_error_kind(e) == Some(std::io::ErrorKind::BrokenPipe))
}

/// The kind of the I/O error `e` is or wraps, if any.
fn io_error_kind(e: &(dyn std::error::Error + 'static)) -> Option<std::io::ErrorKind> {
    if let Some(e) = e.downcast_ref::<std::io::Error>() {
        // `io::Error::other(csv_error)` and the like: the kind is the wrapped error's.
        match e.get_ref() {
            Some(inner) if e.kind() == std::io::ErrorKind::Other => {
                io_error_kind(inner).or(Some(e.kind()))
            }
            _ => Some(e.kind()),
        }
    } else if let Some(e) = e.downcast_ref::<serde_json::Error>() {
        e.io_error_kind()
    } else if let Some(e) = e.downcast_ref::<csv::Error>() {
        match e.kind() {
            csv::ErrorKind::Io(e) => Some(e.kind()),
            _ => None,
        }
    } else if let Some(siting::Error::Io { error, .. }) = e.downcast_ref::<siting::Error>() {
        io_error_kind(error)
    } else {
        None
    }
}
