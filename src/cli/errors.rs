//! Errors in the words of the command line: the library's typed errors carry facts (values,
//! bounds, regions, paths); here the ones a user fixes with a flag name that flag.

use siting::lang::{Args, Lang};
use siting::{ConfigError, Error};

/// The whole chain of `err`, each cause once, as `error:` prints it, in `lang`. Causes that
/// are not the library's (the command line's own context, a failed write to the terminal)
/// keep their English words.
pub fn message(err: &anyhow::Error, lang: Lang) -> String {
    err.chain()
        .map(|e| match e.downcast_ref::<Error>() {
            Some(err) => flag_words(err, lang).unwrap_or_else(|| err.message(lang)),
            None => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// `err` worded with the flags that fix it, or `None` to keep the library's words.
fn flag_words(err: &Error, lang: Lang) -> Option<String> {
    Some(match err {
        Error::InvalidConfig(c) => lang.format(
            "error-invalid-config",
            &Args::new().text("problem", config_words(c, lang)?),
        ),
        Error::TooFewCatchments { .. } => {
            lang.format("cli-error-too-few-catchments", &err.message_args(lang))
        }
        Error::Infeasible { .. } => lang.format("cli-error-infeasible", &err.message_args(lang)),
        Error::HeavyLocation { .. } => {
            lang.format("cli-error-heavy-location", &err.message_args(lang))
        }
        Error::ProjUnavailable { .. } => {
            lang.format("cli-error-proj-unavailable", &err.message_args(lang))
        }
        Error::OutputNotAPlan { .. } => {
            lang.format("cli-error-output-not-a-plan", &err.message_args(lang))
        }
        Error::RecordedInputMissing {
            path,
            with_applicants,
            ..
        } => {
            let options = if *with_applicants {
                "--households FILE / --applicants FILE"
            } else {
                "--households FILE"
            };
            let id = if path.is_relative() {
                "cli-error-recorded-input-relative"
            } else {
                "cli-error-recorded-input-absolute"
            };
            lang.format(id, &err.message_args(lang).text("options", options))
        }
        Error::NoSuchSheet { sheets, .. } if sheets.is_empty() => lang.format(
            "cli-error-sheet-of-text-file",
            &Args::new().text("message", err.message(lang)),
        ),
        Error::NoSuchSheet { .. } => lang.format(
            "cli-error-no-such-sheet",
            &Args::new().text("message", err.message(lang)),
        ),
        Error::InSheet { other_sheets, .. } if !other_sheets.is_empty() => lang.format(
            "cli-error-first-sheet",
            &Args::new().text("message", err.message(lang)),
        ),
        _ => return None,
    })
}

/// A parameter out of range, worded with its flag, or `None` to keep the library's words.
fn config_words(c: &ConfigError, lang: Lang) -> Option<String> {
    let id = match c {
        ConfigError::TargetSize => "cli-config-target-size",
        ConfigError::Tolerance { .. } => "cli-config-tolerance",
        ConfigError::Catchments => "cli-config-catchments",
        ConfigError::SizeBounds { .. } => "cli-config-size-bounds",
        ConfigError::MaxSize => "cli-config-max-size",
        ConfigError::SiteReach { .. } => "cli-config-site-reach",
        ConfigError::MinEfficiency { .. } => "cli-config-min-efficiency",
        ConfigError::Stickiness { .. } => "cli-config-stickiness",
        ConfigError::AccessRadii { .. } => "cli-config-access-radii",
        ConfigError::AwardRule { .. } => "cli-config-award-rule",
        ConfigError::Objective { .. } => "cli-config-objective",
        ConfigError::Effort { .. } => "cli-config-effort",
        ConfigError::GenerateNone => "cli-config-generate-none",
        ConfigError::Encoding { .. } => "cli-config-encoding",
        ConfigError::UnknownProvince { .. } => {
            return Some(lang.format(
                "cli-config-unknown-province",
                &Args::new().text("problem", c.message(lang)),
            ));
        }
        _ => return None,
    };
    Some(lang.format(id, &c.message_args(lang)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_worded_with_their_flags() {
        let err = anyhow::Error::new(Error::InvalidConfig(ConfigError::Tolerance { value: 1.5 }))
            .context("planning");
        let text = message(&err, Lang::En);
        // Each cause once: the parameter is part of the message, not a second cause.
        assert_eq!(
            text,
            "planning: invalid configuration: --tolerance 1.5 must be a fraction in [0, 1), \
             e.g. 0.1 for ±10 %"
        );
        let err = anyhow::Error::new(Error::Infeasible {
            region: "B".into(),
            households: 1130,
            catchments: 3,
            min: 400,
            max: 500,
        });
        assert_eq!(
            message(&err, Lang::En),
            "region 'B': 1,130 households cannot form 3 catchments of 400–500 households; \
             adjust --target, --tolerance or --min-size/--max-size"
        );
        // Errors without a flag keep the library's words.
        let err = anyhow::Error::new(Error::NoHouseholds);
        assert_eq!(message(&err, Lang::En), "no households to plan");
    }
}
