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

/// A figure in `lang`'s digits (a count written without separators, a value as given).
fn fig(lang: Lang, n: impl std::fmt::Display) -> String {
    lang.digits(&n.to_string())
}

/// `err` worded with the flags that fix it, or `None` to keep the library's words.
fn flag_words(err: &Error, lang: Lang) -> Option<String> {
    Some(match err {
        Error::InvalidConfig(c) => lang.format(
            "error-invalid-config",
            &Args::new().text("problem", config_words(c, lang)?),
        ),
        Error::TooFewCatchments {
            catchments,
            regions,
        } => lang.format(
            "cli-error-too-few-catchments",
            &Args::new()
                .text("catchments", fig(lang, catchments))
                .text("regions", fig(lang, regions)),
        ),
        Error::Infeasible {
            region,
            households,
            catchments,
            min,
            max,
        } => lang.format(
            "cli-error-infeasible",
            &Args::new()
                .text("region", region_label(region, lang))
                .text("households", lang.count(*households))
                .text("catchments", fig(lang, catchments))
                .text("min", lang.count(*min))
                .text("max", lang.count(*max)),
        ),
        Error::HeavyLocation {
            region,
            households,
            max,
        } => lang.format(
            "cli-error-heavy-location",
            &Args::new()
                .text("region", region_label(region, lang))
                .text("households", lang.count(*households))
                .text("max", lang.count(*max)),
        ),
        Error::ProjUnavailable { crs } => lang.format(
            "cli-error-proj-unavailable",
            &Args::new().text("crs", crs.as_str()),
        ),
        Error::OutputNotAPlan { path } => lang.format(
            "cli-error-output-not-a-plan",
            &Args::new().text("path", path.display().to_string()),
        ),
        Error::RecordedInputMissing {
            summary,
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
            lang.format(
                id,
                &Args::new()
                    .text("path", path.display().to_string())
                    .text("error", err.os_message(lang).unwrap_or_default())
                    .text("summary", summary.display().to_string())
                    .text("options", options),
            )
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

/// A parameter out of range, worded with its flag.
fn config_words(c: &ConfigError, lang: Lang) -> Option<String> {
    let value = |v: &f64| Args::new().text("value", fig(lang, v));
    Some(match c {
        ConfigError::TargetSize => lang.tr("cli-config-target-size"),
        ConfigError::Tolerance { value: v } => lang.format("cli-config-tolerance", &value(v)),
        ConfigError::Catchments => lang.tr("cli-config-catchments"),
        ConfigError::SizeBounds { min, max } => lang.format(
            "cli-config-size-bounds",
            &Args::new()
                .text("min", fig(lang, min))
                .text("max", fig(lang, max)),
        ),
        ConfigError::MaxSize => lang.tr("cli-config-max-size"),
        ConfigError::SiteReach { metres } => lang.format(
            "cli-config-site-reach",
            &Args::new().text("metres", fig(lang, metres)),
        ),
        ConfigError::MinEfficiency { value: v } => {
            lang.format("cli-config-min-efficiency", &value(v))
        }
        ConfigError::Stickiness { value: v } => lang.format("cli-config-stickiness", &value(v)),
        ConfigError::AccessRadii { radii } => {
            let radii = match lang {
                Lang::En => format!("{radii:?}"),
                _ => lang.list(&radii.iter().map(|r| fig(lang, r)).collect::<Vec<_>>()),
            };
            lang.format("cli-config-access-radii", &Args::new().text("radii", radii))
        }
        ConfigError::AwardRule { name } => lang.format(
            "cli-config-award-rule",
            &Args::new().text("name", name.as_str()),
        ),
        ConfigError::GenerateNone => lang.tr("cli-config-generate-none"),
        ConfigError::Encoding { label } => lang.format(
            "cli-config-encoding",
            &Args::new().text("label", label.as_str()),
        ),
        ConfigError::UnknownProvince { .. } => lang.format(
            "cli-config-unknown-province",
            &Args::new().text("problem", c.message(lang)),
        ),
        _ => return None,
    })
}

/// "region 'X'", or "the file" for a file planned whole.
fn region_label(name: &str, lang: Lang) -> String {
    if name.is_empty() {
        lang.tr("error-region-whole")
    } else {
        lang.format("error-region", &Args::new().text("name", name))
    }
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
