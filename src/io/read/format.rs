//! What kind of file an input is: text (CSV and the like), or a workbook (`.xlsx`, `.xlsb`,
//! `.xls`, `.ods`). The first bytes decide, so a workbook renamed to `.csv` (or a
//! tab-separated text saved as `.xls`, as some systems export) is still read for what it
//! is; the name only tells `.xlsb` from `.xlsx`, which look alike.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The kinds of workbook read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Workbook {
    /// Excel 2007 and later (`.xlsx`, `.xlsm`): a zip archive of XML.
    Xlsx,
    /// Excel binary workbook (`.xlsb`): a zip archive of binary records.
    Xlsb,
    /// Excel 97–2003 (`.xls`), or a password-protected `.xlsx`: an OLE compound file.
    Xls,
    /// OpenDocument spreadsheet (`.ods`, LibreOffice): a zip archive of XML.
    Ods,
}

impl Workbook {
    /// The usual file extension, for messages.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Workbook::Xlsx => ".xlsx",
            Workbook::Xlsb => ".xlsb",
            Workbook::Xls => ".xls",
            Workbook::Ods => ".ods",
        }
    }
}

/// What an input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Delimited text.
    Text,
    /// A workbook of this kind.
    Workbook(Workbook),
}

/// Bytes read from the start of a file to tell its format.
pub(crate) const HEAD_BYTES: usize = 128;

const ZIP: &[u8] = b"PK\x03\x04";
const EMPTY_ZIP: &[u8] = b"PK\x05\x06";
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const PDF: &[u8] = b"%PDF";

/// The format of a file that starts with `head` (at least [`HEAD_BYTES`] of it, or all of a
/// shorter file) and is named `path`.
///
/// # Errors
/// [`Error::Spreadsheet`] for content that is neither text nor a workbook read here (a
/// PDF, an OpenDocument text document).
pub(crate) fn detect(head: &[u8], path: &Path) -> Result<Format> {
    let refuse = |message: &str| Error::Spreadsheet {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    if head.starts_with(ZIP) || head.starts_with(EMPTY_ZIP) {
        // An OpenDocument file stores its media type first, uncompressed.
        let mimetype = head.get(30..38) == Some(b"mimetype");
        let media = head.get(38..).unwrap_or_default();
        let contains = |what: &[u8]| media.windows(what.len()).any(|w| w == what);
        if mimetype && contains(b"opendocument.spreadsheet") {
            return Ok(Format::Workbook(Workbook::Ods));
        }
        if mimetype && contains(b"opendocument") {
            return Err(refuse(
                "is an OpenDocument file but not a spreadsheet (a text document?); save the \
                 table from LibreOffice Calc as .ods, .xlsx or CSV",
            ));
        }
        let xlsb = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsb"));
        return Ok(Format::Workbook(if xlsb {
            Workbook::Xlsb
        } else {
            Workbook::Xlsx
        }));
    }
    if head.starts_with(OLE) {
        return Ok(Format::Workbook(Workbook::Xls));
    }
    if head.starts_with(PDF) {
        return Err(refuse(
            "is a PDF document, not a table; export the table from where it was made as CSV or \
             as an Excel workbook",
        ));
    }
    Ok(Format::Text)
}

/// A reader whose first bytes, read to tell what it is, are put back in front.
pub(crate) type Replayed<R> = std::io::Chain<std::io::Cursor<Vec<u8>>, R>;

/// Reads the first [`HEAD_BYTES`] of `reader`; returns them and the reader with them put
/// back.
///
/// # Errors
/// [`Error::Io`] when the input cannot be read.
pub(crate) fn peek<R: Read>(mut reader: R, path: &Path) -> Result<(Vec<u8>, Replayed<R>)> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut reader)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io("reading", path, e))?;
    Ok((head.clone(), std::io::Cursor::new(head).chain(reader)))
}

/// Opens the file at `path` and tells its format from its first bytes. The file is opened
/// once, and the bytes read are put back, so a pipe or a device (`/dev/stdin`) works too.
///
/// # Errors
/// [`Error::Io`] when the file cannot be opened or read, and as [`detect`].
pub(crate) fn open_file(path: &Path) -> Result<(Format, Replayed<std::fs::File>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io("opening", path, e))?;
    let (head, file) = peek(file, path)?;
    Ok((detect(&head, path)?, file))
}

/// Checks that a stream read as text does not start like a workbook or a PDF.
///
/// # Errors
/// [`Error::Spreadsheet`] saying what the stream is and how to read it.
pub(crate) fn text_only(head: &[u8], path: &Path) -> Result<()> {
    match detect(head, path)? {
        Format::Text => Ok(()),
        Format::Workbook(kind) => Err(Error::Spreadsheet {
            path: path.to_path_buf(),
            message: format!(
                "is a workbook ({}), not text; read it from its file (the file readers tell \
                 workbooks from text), or save it as CSV UTF-8",
                kind.extension()
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_first_bytes() -> Result<()> {
        let path = Path::new("households.csv");
        assert_eq!(detect(b"id,lon,lat\n", path)?, Format::Text);
        assert_eq!(detect(b"", path)?, Format::Text);
        assert_eq!(
            detect(b"PK\x03\x04rest", path)?,
            Format::Workbook(Workbook::Xlsx)
        );
        assert_eq!(
            detect(b"PK\x03\x04rest", Path::new("a.XLSB"))?,
            Format::Workbook(Workbook::Xlsb)
        );
        assert_eq!(detect(OLE, path)?, Format::Workbook(Workbook::Xls));
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(detect(&ods, path)?, Format::Workbook(Workbook::Ods));
        let odt = String::from_utf8_lossy(&ods).replace("spreadsheet", "text");
        assert!(matches!(
            detect(odt.as_bytes(), path),
            Err(Error::Spreadsheet { .. })
        ));
        assert!(detect(b"%PDF-1.7", path).is_err());
        assert!(text_only(OLE, path).is_err());
        assert!(text_only(b"a,b", path).is_ok());
        Ok(())
    }
}
