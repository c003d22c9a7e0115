//! Column names: how a header cell is normalised before it is matched, the accepted names
//! of the columns every reader shares (in English and Persian), and finding a column by
//! its names.
//!
//! A header cell is matched case-insensitively, without a byte-order mark, direction marks
//! or tatweel, with runs of white space and zero-width non-joiners as one space, Arabic
//! yeh and kaf (ي ى ك) read as the Persian ones (ی ک) and Persian/Arabic-Indic digits as
//! ASCII. A name that is not ASCII (a Persian one) also matches when the cell leaves out its
//! spaces or half-spaces: `طول جغرافیایی`, `طول‌جغرافیایی` and `طولجغرافيايي` are one name.

use std::path::Path;

use crate::error::{Error, Result};

/// Accepted names of a longitude (or easting) column.
pub(crate) const LON_NAMES: &[&str] = &["lon", "lng", "longitude", "x", "طول جغرافیایی"];

/// Accepted names of a latitude (or northing) column.
pub(crate) const LAT_NAMES: &[&str] = &["lat", "latitude", "y", "عرض جغرافیایی"];

/// Accepted names of a household id column, in the households file and in the previous
/// assignments alike (a case-file export keeps the households file's header).
pub(crate) const HOUSEHOLD_ID_NAMES: &[&str] =
    &["household_id", "id", "شناسه", "شناسه خانوار", "کد خانوار"];

/// A header cell (or a column name given as an option) as it is matched; see the module
/// docs.
pub(crate) fn header_key(cell: &str) -> String {
    let mut key = String::with_capacity(cell.len());
    let mut space = false;
    for c in cell.chars() {
        let c = match c {
            // Byte-order mark, zero-width space and joiner, direction marks, tatweel.
            '\u{FEFF}'
            | '\u{200B}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{0640}' => continue,
            '\u{200C}' => ' ',
            '\u{064A}' | '\u{0649}' => '\u{06CC}',
            '\u{0643}' => '\u{06A9}',
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            c => c,
        };
        if c.is_whitespace() {
            space = !key.is_empty();
            continue;
        }
        if space {
            key.push(' ');
            space = false;
        }
        key.extend(c.to_lowercase());
    }
    key
}

/// True when the normalised header cell `key` is the name `name` (see the module docs).
pub(crate) fn key_is(key: &str, name: &str) -> bool {
    key == name
        || (!name.is_ascii()
            && key
                .chars()
                .filter(|&c| c != ' ')
                .eq(name.chars().filter(|&c| c != ' ')))
}

/// True when header cells `a` and `b` name the same column.
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (header_key(a), header_key(b));
    key_is(&a, &b) || key_is(&b, &a)
}

/// Finds the single column whose name is in `names`.
///
/// # Errors
/// [`Error::DuplicateColumn`] when two columns have one of the names.
pub(crate) fn find_column(
    header: &[String],
    names: &[&str],
    what: &str,
    path: &Path,
) -> Result<Option<usize>> {
    let mut found: Option<usize> = None;
    for (i, h) in header.iter().enumerate() {
        let key = header_key(h);
        if names.iter().any(|name| key_is(&key, name)) {
            if let Some(first) = found {
                return Err(Error::DuplicateColumn {
                    path: path.to_path_buf(),
                    what: what.to_string(),
                    first: header[first].clone(),
                    second: h.clone(),
                });
            }
            found = Some(i);
        }
    }
    Ok(found)
}

/// Finds the single column whose name is in `names`, which must be there.
///
/// # Errors
/// [`Error::MissingColumn`] without one, [`Error::DuplicateColumn`] with two.
pub(crate) fn require_column(
    header: &[String],
    names: &[&str],
    what: &'static str,
    path: &Path,
) -> Result<usize> {
    find_column(header, names, what, path)?.ok_or_else(|| Error::MissingColumn {
        path: path.to_path_buf(),
        what,
        expected: names.join(", "),
        found: header.join(","),
    })
}

/// Finds the column named `name` exactly (a region column, `--by`), as [`same_name`] says.
///
/// # Errors
/// [`Error::MissingColumn`] when there is none.
pub(crate) fn named_column(
    header: &[String],
    name: &str,
    what: &'static str,
    path: &Path,
) -> Result<usize> {
    header
        .iter()
        .position(|h| same_name(h, name))
        .ok_or_else(|| Error::MissingColumn {
            path: path.to_path_buf(),
            what,
            expected: name.to_string(),
            found: header.join(","),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalised() {
        assert_eq!(header_key("\u{FEFF} Household_ID "), "household_id");
        assert_eq!(header_key("site  1\tlon"), "site 1 lon");
        assert_eq!(header_key("site۲_lat"), "site2_lat");
        // Arabic yeh and kaf, a half-space, a direction mark, tatweel.
        assert_eq!(header_key("\u{200F}تعداد\u{200C}خانوار"), "تعداد خانوار");
        assert_eq!(header_key("كد"), "کد");
        assert_eq!(header_key("عرض جغرافيايي"), "عرض جغرافیایی");
        assert_eq!(header_key("شنـاسه"), "شناسه");
    }

    #[test]
    fn persian_names_match_without_spaces() {
        for cell in [
            "طول جغرافیایی",
            "طول‌جغرافیایی",
            "طولجغرافيايي",
            " طول  جغرافیایی ",
        ] {
            assert!(key_is(&header_key(cell), "طول جغرافیایی"), "{cell}");
        }
        // ASCII names keep their spaces and underscores.
        assert!(!key_is(&header_key("household id"), "household_id"));
        assert!(!key_is(&header_key("l on"), "lon"));
        assert!(same_name("استان ", "\u{200F}استان"));
        assert!(same_name("Province", "province"));
    }

    #[test]
    fn columns_by_name() -> Result<()> {
        let path = Path::new("t.csv");
        let header: Vec<String> = ["شناسه", "طول جغرافیایی", "عرض جغرافيايي", "استان"]
            .map(String::from)
            .to_vec();
        assert_eq!(require_column(&header, LON_NAMES, "longitude", path)?, 1);
        assert_eq!(require_column(&header, LAT_NAMES, "latitude", path)?, 2);
        assert_eq!(named_column(&header, "استان", "region", path)?, 3);
        let both: Vec<String> = ["lon", "طول جغرافیایی"].map(String::from).to_vec();
        assert!(matches!(
            find_column(&both, LON_NAMES, "longitude", path),
            Err(Error::DuplicateColumn { .. })
        ));
        Ok(())
    }
}
