//! Figures as a person reads them in messages and reports.

/// A count with thousands separators, as every report and message writes it:
/// `24000` → `"24,000"`.
///
/// ```
/// assert_eq!(siting::text::thousands(1_100_000), "1,100,000");
/// ```
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A column's letters as a spreadsheet names it, from its 1-based number: `1` → `"A"`,
/// `27` → `"AA"`; `""` for 0.
///
/// ```
/// assert_eq!(siting::text::column_letters(3), "C");
/// assert_eq!(siting::text::column_letters(703), "AAA");
/// ```
pub fn column_letters(column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for HTML or XML element content
/// and attributes (the report, the QGIS styles).
pub(crate) fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_letters() {
        let letters = |n| super::column_letters(n);
        assert_eq!(letters(0), "");
        assert_eq!(letters(1), "A");
        assert_eq!(letters(26), "Z");
        assert_eq!(letters(27), "AA");
        assert_eq!(letters(52), "AZ");
        assert_eq!(letters(53), "BA");
        assert_eq!(letters(702), "ZZ");
        assert_eq!(letters(16_384), "XFD");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(1_100_000), "1,100,000");
    }
}
