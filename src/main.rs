//! The `siting` command line; all work is done by the library (see `cli/`).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let lang = args.lang();
    match cli::run(args) {
        Ok(code) => code,
        // A reader that stopped early (`siting generate --out - | head`) is not an error.
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "{}: {}",
                lang.tr("cli-error"),
                cli::error_message(&err, lang)
            );
            ExitCode::from(cli::exit_code(&err))
        }
    }
}
