//! Terminal columns measured as a terminal draws them: by display width, not by bytes or
//! characters, so Persian names (with zero-width joiners and marks) line up with Latin ones.

use unicode_width::UnicodeWidthStr;

/// `text` padded with spaces after it to `width` columns.
pub(super) fn pad_end(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// `text` padded with spaces before it to `width` columns.
pub(super) fn pad_start(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

/// The longest start of `text` that fits in `width` columns.
pub(super) fn truncate(text: &str, width: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let mut next = out.clone();
        next.push(c);
        if next.width() > width {
            break;
        }
        out = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_names_line_up() {
        // "تاکستان" is 7 letters; "بوئین‌زهرا" has a zero-width non-joiner.
        assert_eq!(pad_end("بوئین\u{200c}زهرا", 12).width(), 12);
        assert_eq!(pad_end("Qazvin", 12), "Qazvin      ");
        assert_eq!(pad_start("12", 5), "   12");
        assert_eq!(truncate("abcdef", 3), "abc");
        assert_eq!(truncate("بوئین\u{200c}زهرا", 5).width(), 5);
    }
}
