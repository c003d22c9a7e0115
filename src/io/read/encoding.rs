//! Text encodings: how the bytes of a text input become the UTF-8 the readers parse.
//!
//! - A byte-order mark decides, unasked: UTF-16 little- or big-endian (Excel's "Unicode
//!   Text", tab-separated) is decoded; a UTF-8 mark is skipped.
//! - Otherwise the encoding named in [`crate::ReadOptions::encoding`] (any label of the
//!   WHATWG Encoding Standard: `windows-1256`, `utf-16le`, `windows-1252`, …), by default
//!   UTF-8.
//! - Windows-1256 (the Arabic/Persian code page of older Excel) is **not** guessed: bytes
//!   that are not UTF-8 could be any of several code pages, and a wrong guess would garble
//!   region names, which decide the plan, without a word. Instead, a cell that is not UTF-8
//!   is reported with how it reads in Windows-1256 when that reads as Persian or Arabic
//!   ([`crate::Error::NotUtf8`]), so the planner knows which encoding to name.
//!
//! Decoding keeps line ends and delimiters where they were, so lines and columns in
//! messages are those of the file.

use std::io::Read;
use std::path::Path;

use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1256};

use crate::error::{ConfigError, Error, Location, Result};
use crate::io::read::format::{self, Replayed};

/// How a text input is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decode {
    /// Read as UTF-8 (a UTF-8 byte-order mark is skipped by the readers).
    Utf8,
    /// Decoded from this encoding to UTF-8 on the way in.
    From(&'static Encoding),
}

/// The encoding a label names (`None`: UTF-8).
///
/// # Errors
/// [`ConfigError::Encoding`] for a label the Encoding Standard does not know.
pub(crate) fn encoding_for(label: Option<&str>) -> Result<&'static Encoding> {
    match label {
        None => Ok(UTF_8),
        Some(label) => {
            Encoding::for_label_no_replacement(label.trim().as_bytes()).ok_or_else(|| {
                Error::InvalidConfig(ConfigError::Encoding {
                    label: label.to_string(),
                })
            })
        }
    }
}

/// How input starting with `head` is decoded, given the encoding named by `label`.
pub(crate) fn decode_for(head: &[u8], label: Option<&str>) -> Result<Decode> {
    let named = encoding_for(label)?;
    let encoding = match Encoding::for_bom(head) {
        Some((bom, _)) => bom,
        None => named,
    };
    Ok(if encoding == UTF_8 {
        Decode::Utf8
    } else {
        Decode::From(encoding)
    })
}

/// Reads the first bytes of `reader`, refuses a workbook or PDF (see
/// [`format::text_only`]), and decides how it is decoded (see the module docs). Returns
/// the decision and the reader with the bytes read put back.
///
/// # Errors
/// [`Error::Io`] when the input cannot be read, [`Error::Spreadsheet`] for a workbook,
/// [`ConfigError::Encoding`] for an unknown label.
pub(crate) fn sniff<R: Read>(
    reader: R,
    label: Option<&str>,
    path: &Path,
) -> Result<(Decode, Replayed<R>)> {
    let (head, reader) = format::peek(reader, path)?;
    format::text_only(&head, path)?;
    Ok((decode_for(&head, label)?, reader))
}

/// A text input as UTF-8: as it is, or decoded.
pub(crate) enum TextReader<R> {
    /// Already UTF-8.
    Utf8(R),
    /// Decoded on the way.
    Decoded(Decoding<R>),
}

impl<R: Read> TextReader<R> {
    /// `reader` decoded as `decode` says.
    pub(crate) fn new(reader: R, decode: Decode) -> Self {
        match decode {
            Decode::Utf8 => TextReader::Utf8(reader),
            Decode::From(encoding) => TextReader::Decoded(Decoding::new(reader, encoding)),
        }
    }
}

impl<R: Read> Read for TextReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            TextReader::Utf8(r) => r.read(buf),
            TextReader::Decoded(r) => r.read(buf),
        }
    }
}

/// Bytes of input decoded at a time.
const CHUNK: usize = 1 << 16;

/// A reader that decodes its input from `encoding` to UTF-8 (a byte-order mark of the
/// encoding is removed). Malformed input (an unpaired UTF-16 surrogate) is an
/// [`std::io::ErrorKind::InvalidData`] error naming the byte, never replaced silently.
pub(crate) struct Decoding<R> {
    inner: R,
    encoding: &'static Encoding,
    decoder: encoding_rs::Decoder,
    raw: Vec<u8>,
    /// `raw[raw_at..raw_len]` is read but not decoded yet.
    raw_at: usize,
    raw_len: usize,
    out: Vec<u8>,
    /// `out[out_at..out_len]` is decoded but not handed out yet.
    out_at: usize,
    out_len: usize,
    /// The input's end was decoded.
    done: bool,
    /// Input bytes decoded so far.
    offset: u64,
}

impl<R: Read> Decoding<R> {
    pub(crate) fn new(inner: R, encoding: &'static Encoding) -> Self {
        let decoder = encoding.new_decoder_with_bom_removal();
        let out = decoder
            .max_utf8_buffer_length_without_replacement(CHUNK)
            .unwrap_or(4 * CHUNK)
            .max(16);
        Decoding {
            inner,
            encoding,
            decoder,
            raw: vec![0; CHUNK],
            raw_at: 0,
            raw_len: 0,
            out: vec![0; out],
            out_at: 0,
            out_len: 0,
            done: false,
            offset: 0,
        }
    }

    /// Decodes the next piece of input into `out` (reading more input when all is
    /// decoded).
    fn decode_more(&mut self) -> std::io::Result<()> {
        let mut last = false;
        if self.raw_at == self.raw_len {
            self.raw_at = 0;
            self.raw_len = loop {
                match self.inner.read(&mut self.raw) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            last = self.raw_len == 0;
        }
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            &self.raw[self.raw_at..self.raw_len],
            &mut self.out,
            last,
        );
        self.raw_at += read;
        self.offset += read as u64;
        self.out_at = 0;
        self.out_len = written;
        match result {
            DecoderResult::InputEmpty => self.done = last,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let at = self.offset - u64::from(bad) - u64::from(after);
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the text is not valid {} at byte {at}; is --encoding right?",
                        self.encoding.name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.out_at == self.out_len {
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            self.decode_more()?;
        }
        let n = buf.len().min(self.out_len - self.out_at);
        buf[..n].copy_from_slice(&self.out[self.out_at..self.out_at + n]);
        self.out_at += n;
        Ok(n)
    }
}

/// Characters of a cell shown in a message about its encoding.
const SHOWN_CHARS: usize = 40;

/// `bytes` (not UTF-8) read as Windows-1256, when that reads as Persian or Arabic text (two
/// letters or more, and nearly all of the text that is not ASCII) and the bytes are not
/// Persian UTF-8 cut short (see the module docs).
pub(crate) fn as_windows_1256(bytes: &[u8]) -> Option<String> {
    let arabic = |c: char| {
        matches!(c, '\u{0600}'..='\u{06FF}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}'
            | '\u{200C}' | '\u{200D}')
    };
    // Persian written as UTF-8 and then cut: its valid start already reads as Persian.
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => return None,
        Err(e) => e.valid_up_to(),
    };
    if std::str::from_utf8(&bytes[..valid]).is_ok_and(|s| s.chars().any(arabic)) {
        return None;
    }
    let (text, _) = WINDOWS_1256.decode_without_bom_handling(bytes);
    let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
    let in_script = text.chars().filter(|&c| arabic(c)).count();
    // Two letters at least, and nearly all of the non-ASCII text.
    if in_script < 2 || in_script * 10 < non_ascii * 9 {
        return None;
    }
    let text = text.trim();
    let mut shown: String = text.chars().take(SHOWN_CHARS).collect();
    if text.chars().count() > SHOWN_CHARS {
        shown.push('…');
    }
    Some(shown)
}

/// [`Error::NotUtf8`] at `location` for the cell `bytes`.
pub(crate) fn not_utf8(location: Location, bytes: &[u8]) -> Error {
    Error::NotUtf8 {
        location,
        windows_1256: as_windows_1256(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};

    fn decode_all(bytes: &[u8], encoding: &'static Encoding, read_size: usize) -> String {
        let mut reader = Decoding::new(bytes, encoding);
        let mut out = Vec::new();
        let mut buf = vec![0; read_size];
        loop {
            match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => return format!("error: {e}"),
            }
        }
        String::from_utf8(out).unwrap_or_default()
    }

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian {
            vec![0xFE, 0xFF]
        } else {
            vec![0xFF, 0xFE]
        };
        for unit in text.encode_utf16() {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    #[test]
    fn utf16_is_decoded_whatever_the_read_size() {
        let text = "household_id\tlon\tlat\tاستان\r\nh1\t50.1\t36.2\tقزوین\r\n".repeat(3000);
        for big_endian in [false, true] {
            let bytes = utf16(&text, big_endian);
            let encoding = if big_endian { UTF_16BE } else { UTF_16LE };
            for read_size in [1, 3, 7, 4096, 1 << 20] {
                assert_eq!(decode_all(&bytes, encoding, read_size), text);
            }
        }
    }

    #[test]
    fn malformed_input_is_an_error() {
        // An unpaired high surrogate.
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0];
        let got = decode_all(&bytes, UTF_16LE, 64);
        assert!(got.contains("not valid UTF-16LE at byte 4"), "{got}");
    }

    #[test]
    fn the_byte_order_mark_decides() -> Result<()> {
        assert_eq!(decode_for(b"\xFF\xFEh\0", None)?, Decode::From(UTF_16LE));
        assert_eq!(decode_for(b"\xFE\xFF\0h", None)?, Decode::From(UTF_16BE));
        assert_eq!(
            decode_for(b"\xEF\xBB\xBFid", Some("windows-1256"))?,
            Decode::Utf8
        );
        assert_eq!(decode_for(b"id", None)?, Decode::Utf8);
        assert_eq!(
            decode_for(b"id", Some("CP1256"))?,
            Decode::From(WINDOWS_1256)
        );
        assert_eq!(decode_for(b"id", Some("utf8"))?, Decode::Utf8);
        assert!(matches!(
            decode_for(b"id", Some("klingon")),
            Err(Error::InvalidConfig(ConfigError::Encoding { .. }))
        ));
        Ok(())
    }

    #[test]
    fn windows_1256_is_recognised_not_guessed() {
        // Windows-1256 has no Persian yeh: Persian Windows writes the Arabic one (ي).
        let (bytes, _, _) = WINDOWS_1256.encode("قزوين");
        assert_eq!(as_windows_1256(&bytes).as_deref(), Some("قزوين"));
        let (bytes, _, _) = WINDOWS_1256.encode("کرج، گلستان");
        assert_eq!(as_windows_1256(&bytes).as_deref(), Some("کرج، گلستان"));
        // Latin-1 text, and Persian UTF-8 cut short, are not taken for Windows-1256.
        assert_eq!(as_windows_1256(b"Z\xE9rich"), None);
        let cut = "قزوین".as_bytes();
        assert_eq!(as_windows_1256(&cut[..cut.len() - 1]), None);
        assert_eq!(as_windows_1256(b"plain"), None);
        // One stray byte is no evidence.
        assert_eq!(as_windows_1256(b"h\xff"), None);
    }
}
