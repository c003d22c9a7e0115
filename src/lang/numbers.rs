//! Figures in running text: Latin digits with `,` and `.` in English; Persian digits with
//! `٬` (U+066C) for thousands, `٫` (U+066B) for the decimal point and `٪` for percent in
//! Persian.

use super::Lang;

/// `s` with its ASCII digits, `,` and `.` written as `lang` writes them in running text.
/// Only for strings that are figures: ids and codes keep their own characters.
pub(super) fn localize(lang: Lang, s: &str) -> String {
    match lang {
        Lang::En => s.to_string(),
        Lang::Fa => s
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
                ',' => '\u{066C}',
                '.' => '\u{066B}',
                '%' => '\u{066A}',
                '-' => '\u{2212}',
                _ => c,
            })
            .collect(),
    }
}

/// `n` with thousands separators: `24000` → `24,000`.
pub(super) fn grouped(n: u64) -> String {
    crate::text::thousands(n)
}

/// `x` with `decimals` places and thousands separators: `(1234.5, 1)` → `1,234.5`.
pub(super) fn decimal(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let text = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    // "-0.0" reads as "0.0".
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    out.push_str(&grouped(whole.parse().unwrap_or(0)));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_figures() {
        assert_eq!(decimal(1234.56, 1), "1,234.6");
        assert_eq!(decimal(0.25, 2), "0.25");
        assert_eq!(decimal(-0.01, 1), "0.0");
        assert_eq!(decimal(-12.5, 0), "-12");
        assert_eq!(localize(Lang::En, "1,234.5"), "1,234.5");
    }

    #[test]
    fn persian_figures() {
        assert_eq!(localize(Lang::Fa, "24,000"), "۲۴٬۰۰۰");
        assert_eq!(localize(Lang::Fa, "1.5"), "۱٫۵");
        assert_eq!(localize(Lang::Fa, "12.3%"), "۱۲٫۳٪");
    }
}
