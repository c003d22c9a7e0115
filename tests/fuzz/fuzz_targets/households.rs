//! Any bytes through the households reader: an error or households, never a panic; with
//! `skip_invalid`, every row is either kept or rejected. Bytes starting with a UTF-16
//! byte-order mark are decoded unasked, and each input is also read as Windows-1256 and as
//! UTF-16LE (`encoding`), so the decoding is fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siting::{ReadOptions, read_households};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    let _ = read_households(data, path, &ReadOptions::default());
    let by = ReadOptions {
        by: vec!["province".into()],
        ..ReadOptions::default()
    };
    let _ = read_households(data, path, &by);
    for encoding in ["windows-1256", "utf-16le"] {
        let decoded = ReadOptions {
            encoding: Some(encoding.into()),
            ..by.clone()
        };
        let _ = read_households(data, path, &decoded);
    }
    let skip = ReadOptions {
        skip_invalid: true,
        ..ReadOptions::default()
    };
    if let Ok(hh) = read_households(data, path, &skip) {
        assert!(!hh.is_empty());
        assert!(hh.rejected.iter().all(|r| !r.reason.is_empty()));
    }
});
