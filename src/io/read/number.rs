//! Numbers as spreadsheets write them: ASCII, Persian (۰-۹) or Arabic-Indic (٠-٩) digits,
//! the Arabic decimal separator (٫), Unicode minus signs and stray direction marks.

/// Why a field could not be read as a number (the library's [`crate::NumberProblem`]).
pub use crate::error::NumberProblem as NumberError;

/// Rewrites Persian/Arabic digits and separators to ASCII, dropping direction marks and
/// surrounding white space. Returns `None` when a thousands separator or comma is present.
fn normalize(field: &str) -> Result<std::borrow::Cow<'_, str>, NumberError> {
    // Plain ASCII numbers (the common case) need no rewriting.
    let trimmed = field.trim_matches(|c: char| c.is_ascii_whitespace());
    if trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return Ok(std::borrow::Cow::Borrowed(trimmed));
    }
    let mut out = String::with_capacity(field.len());
    for c in field.chars() {
        let mapped = match c {
            '0'..='9' | '.' | '-' | '+' | 'e' | 'E' => c,
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{066B}' => '.',
            '\u{2212}' | '\u{2013}' => '-',
            '\u{066C}' | ',' | '\u{060C}' => return Err(NumberError::Separator),
            '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}' => {
                continue;
            }
            c if c.is_whitespace() => continue,
            // Keep anything else so that "nan", "inf" and garbage are classified below.
            c => c,
        };
        out.push(mapped);
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Parses a decimal number such as a coordinate.
///
/// # Errors
/// A [`NumberError`] saying why the text is not a finite number.
pub fn parse_decimal(field: &str) -> Result<f64, NumberError> {
    let s = normalize(field)?;
    if s.is_empty() {
        return Err(NumberError::Empty);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b))
    {
        let lower = s.to_ascii_lowercase();
        if matches!(
            lower.trim_start_matches(['+', '-']),
            "nan" | "inf" | "infinity"
        ) {
            return Err(NumberError::NotFinite);
        }
        return Err(NumberError::NotANumber);
    }
    let v: f64 = s.parse().map_err(|_| NumberError::NotANumber)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(NumberError::NotFinite)
    }
}

/// Parses a whole count in `1..=max` (a household weight). Accepts "12", "۱۲", "12.0".
///
/// # Errors
/// A [`NumberError`] for empty, non-numeric, fractional, non-positive or too large values.
pub fn parse_count(field: &str, max: u64) -> Result<u32, NumberError> {
    let v = match parse_decimal(field) {
        Err(NumberError::Separator) => {
            parse_decimal(&ungroup(field).ok_or(NumberError::Separator)?)?
        }
        other => other?,
    };
    if v.fract() != 0.0 {
        return Err(NumberError::Fractional);
    }
    if v < 1.0 {
        return Err(NumberError::NotPositive);
    }
    if v > max as f64 {
        return Err(NumberError::TooLarge(max));
    }
    Ok(v as u32)
}

/// Removes thousands separators (`,`, `٬`, `،`) from a whole number written with correct
/// grouping (1–3 digits, then groups of exactly 3: `1,200`, `۱٬۲۰۰`); `None` otherwise.
fn ungroup(field: &str) -> Option<String> {
    let text = field.trim();
    let groups: Vec<&str> = text.split([',', '\u{066C}', '\u{060C}']).collect();
    let digits = |g: &str| g.chars().filter(|c| c.is_numeric()).count() == g.chars().count();
    let ok = groups.len() > 1
        && (1..=3).contains(&groups[0].chars().count())
        && groups.iter().all(|g| digits(g))
        && groups[1..].iter().all(|g| g.chars().count() == 3);
    ok.then(|| groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn to_persian(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
                '.' => '\u{066B}',
                c => c,
            })
            .collect()
    }

    fn to_arabic(s: &str) -> String {
        s.chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0x0660 + (c as u32 - '0' as u32)).unwrap_or(c),
                c => c,
            })
            .collect()
    }

    #[test]
    fn counts_may_group_thousands() {
        assert_eq!(parse_count("۱٬۲۰۰", 1_000_000), Ok(1200));
        assert_eq!(parse_count("1,200,000", 2_000_000), Ok(1_200_000));
        assert_eq!(parse_count("12,00", 1_000_000), Err(NumberError::Separator));
        assert_eq!(parse_count("1,2", 1_000_000), Err(NumberError::Separator));
        assert_eq!(parse_count(",200", 1_000_000), Err(NumberError::Separator));
        assert_eq!(parse_decimal("1,200"), Err(NumberError::Separator));
    }

    #[test]
    fn classifies_bad_numbers() {
        assert_eq!(parse_decimal(""), Err(NumberError::Empty));
        assert_eq!(parse_decimal("  "), Err(NumberError::Empty));
        assert_eq!(parse_decimal("abc"), Err(NumberError::NotANumber));
        assert_eq!(parse_decimal("inf"), Err(NumberError::NotFinite));
        assert_eq!(parse_decimal("-Infinity"), Err(NumberError::NotFinite));
        assert_eq!(parse_decimal("1e400"), Err(NumberError::NotFinite));
        assert_eq!(parse_decimal("35,7"), Err(NumberError::Separator));
        assert_eq!(parse_decimal("۱٬۲۳۴"), Err(NumberError::Separator));
        assert_eq!(parse_decimal("\u{200F}−۵۱٫۵"), Ok(-51.5));
        assert_eq!(parse_count("-3", 10), Err(NumberError::NotPositive));
        assert_eq!(parse_count("11", 10), Err(NumberError::TooLarge(10)));
    }

    proptest! {
        #[test]
        fn persian_and_arabic_digits_parse_like_ascii(v in -180.0f64..180.0) {
            let ascii = format!("{v:.6}");
            let expected: f64 = ascii.parse().unwrap_or(f64::NAN);
            prop_assert_eq!(parse_decimal(&ascii), Ok(expected));
            prop_assert_eq!(parse_decimal(&to_persian(&ascii)), Ok(expected));
            prop_assert_eq!(parse_decimal(&to_arabic(&ascii)), Ok(expected));
        }

        #[test]
        fn counts_round_trip(n in 1u32..1_000_000) {
            prop_assert_eq!(parse_count(&to_persian(&n.to_string()), 1_000_000), Ok(n));
        }

        #[test]
        fn never_panics(s in "\\PC*") {
            // Whatever the text, a number read is finite and a count is within its range;
            // an empty field is always reported as empty.
            match parse_decimal(&s) {
                Ok(v) => prop_assert!(v.is_finite(), "{s:?} read as {v}"),
                Err(e) => prop_assert!(!s.trim().is_empty() || e == NumberError::Empty, "{s:?}: {e}"),
            }
            if let Ok(n) = parse_count(&s, 100) {
                prop_assert!((1..=100).contains(&n), "{s:?} counted as {n}");
            }
        }
    }
}

#[cfg(test)]
mod examples {
    use super::*;

    #[test]
    fn decimals_doc_example() {
        assert_eq!(parse_decimal("۳۵٫۷"), Ok(35.7));
        assert_eq!(parse_decimal("٥١.٤"), Ok(51.4));
        assert!(parse_decimal("NaN").is_err());
    }

    #[test]
    fn counts_doc_example() {
        assert_eq!(parse_count("۱۲", 1000), Ok(12));
        assert!(parse_count("0", 1000).is_err());
        assert!(parse_count("2.5", 1000).is_err());
    }
}
