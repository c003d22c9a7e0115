//! `siting completions`: a shell completion script generated from the argument definitions.

use std::process::ExitCode;

use anyhow::Result;
use clap::CommandFactory;

use super::Cli;

/// Prints the completion script for `shell` on standard output.
pub(super) fn run(shell: clap_complete::Shell) -> Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "siting", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}
