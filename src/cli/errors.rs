//! Errors in the words of the command line: the library's typed errors carry facts (values,
//! bounds, regions, paths); here the ones a user fixes with a flag name that flag.

use siting::text::thousands;
use siting::{ConfigError, Error};

/// The whole chain of `err`, each cause once, as `error:` prints it.
pub fn message(err: &anyhow::Error) -> String {
    err.chain()
        .map(|e| match e.downcast_ref::<Error>().and_then(flag_words) {
            Some(words) => words,
            None => e.to_string(),
        })
        .collect::<Vec<_>>()
        .join(": ")
}

/// `err` worded with the flags that fix it, or `None` to keep the library's words.
fn flag_words(err: &Error) -> Option<String> {
    Some(match err {
        Error::InvalidConfig(c) => format!("invalid configuration: {}", config_words(c)?),
        Error::TooFewCatchments {
            catchments,
            regions,
        } => format!(
            "--catchments {catchments} is fewer than the {regions} regions; every region needs at least one"
        ),
        Error::Infeasible {
            region,
            households,
            catchments,
            min,
            max,
        } => format!(
            "{}: {} households cannot form {catchments} catchments of {}–{} households; adjust \
             --target, --tolerance or --min-size/--max-size",
            region_label(region),
            thousands(*households),
            thousands(*min),
            thousands(*max)
        ),
        Error::HeavyLocation {
            region,
            households,
            max,
        } => format!(
            "{}: one location holds {} households (rows with the same coordinates count \
             together), more than the largest allowed catchment ({}); check the coordinates, or \
             raise --max-size/--tolerance",
            region_label(region),
            thousands(*households),
            thousands(*max)
        ),
        Error::ProjUnavailable { crs } => format!(
            "--crs {crs} needs the 'proj' feature: rebuild with `cargo build --release --features \
             proj` (needs cmake and libsqlite3-dev), or convert the file to longitude/latitude \
             (EPSG:4326)"
        ),
        Error::OutputNotAPlan { path } => format!(
            "{} exists and is not a siting plan (no summary.json); choose another --out folder or \
             pass --force",
            path.display()
        ),
        Error::RecordedInputMissing {
            summary,
            path,
            with_applicants,
            error,
        } => {
            let options = if *with_applicants {
                "--households FILE / --applicants FILE"
            } else {
                "--households FILE"
            };
            let whence = if path.is_relative() {
                "relative to the folder the plan was made in, and not which folder that was: run \
                 siting verify from there, or"
            } else {
                "as it was when the plan was made (the file has moved or is gone):"
            };
            format!(
                "opening {}: {error}; {} records this path {whence} point verify at the inputs \
                 with {options}",
                path.display(),
                summary.display()
            )
        }
        Error::NoSuchSheet { sheets, .. } if sheets.is_empty() => format!(
            "{err} (--sheet is for the households file, --applicants-sheet for the applicants file)"
        ),
        Error::NoSuchSheet { .. } => format!(
            "{err}: choose one with --sheet (households) or --applicants-sheet (applicants)"
        ),
        Error::InSheet { other_sheets, .. } if !other_sheets.is_empty() => format!(
            "{err}; to read another sheet, name it with --sheet (households) or \
             --applicants-sheet (applicants)"
        ),
        _ => return None,
    })
}

/// A parameter out of range, worded with its flag.
fn config_words(c: &ConfigError) -> Option<String> {
    Some(match c {
        ConfigError::TargetSize => "--target must be at least 1 household".into(),
        ConfigError::Tolerance { value } => {
            format!("--tolerance {value} must be a fraction in [0, 1), e.g. 0.1 for ±10 %")
        }
        ConfigError::Catchments => "--catchments must be at least 1".into(),
        ConfigError::SizeBounds { min, max } => {
            format!("--min-size {min} is larger than --max-size {max}")
        }
        ConfigError::MaxSize => "--max-size must be at least 1".into(),
        ConfigError::SiteReach { metres } => {
            format!("--site-reach {metres} m must be a distance of 0 m or more")
        }
        ConfigError::MinEfficiency { value } => format!(
            "--min-efficiency {value} must be in [0, 1] (1 = only sites as good as the ideal center)"
        ),
        ConfigError::Stickiness { value } => {
            format!("--stickiness must be a number at least 0, got {value}")
        }
        ConfigError::AccessRadii { radii } => format!(
            "--access-radii {radii:?} must be 1 to 8 positive distances in metres, e.g. 1000,3000"
        ),
        ConfigError::AwardRule { name } => {
            format!("--award {name}: expected 'priority' or 'optimal'")
        }
        ConfigError::GenerateNone => "--n must be at least 1".into(),
        ConfigError::Encoding { label } => format!(
            "--encoding {label}: unknown encoding; use a label such as utf-8, utf-16le or \
             windows-1256"
        ),
        ConfigError::UnknownProvince { .. } => format!("--province: {c}"),
        _ => return None,
    })
}

/// "region 'X'", or "the file" for a file planned whole.
fn region_label(name: &str) -> String {
    if name.is_empty() {
        "the file".to_string()
    } else {
        format!("region '{name}'")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_worded_with_their_flags() {
        let err = anyhow::Error::new(Error::InvalidConfig(ConfigError::Tolerance { value: 1.5 }))
            .context("planning");
        let text = message(&err);
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
            message(&err),
            "region 'B': 1,130 households cannot form 3 catchments of 400–500 households; \
             adjust --target, --tolerance or --min-size/--max-size"
        );
        // Errors without a flag keep the library's words.
        let err = anyhow::Error::new(Error::NoHouseholds);
        assert_eq!(message(&err), "no households to plan");
    }
}
