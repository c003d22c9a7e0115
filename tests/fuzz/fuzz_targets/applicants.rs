//! Any bytes through the applicants reader (long and wide layouts): never a panic, and
//! what is read obeys the documented limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use siting::read_applicants;
use siting::ReadOptions;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.csv");
    for (skip_invalid, encoding) in [(false, None), (true, None), (true, Some("utf-16be"))] {
        let options = ReadOptions {
            skip_invalid,
            encoding: encoding.map(str::to_string),
            ..ReadOptions::default()
        };
        if let Ok(applicants) = read_applicants(data, path, &options) {
            for a in &applicants.items {
                assert!(a.proposals.len() <= 5);
                assert!(a.max_centers >= 1);
                let mut prefs: Vec<u8> = a.proposals.iter().map(|p| p.preference).collect();
                prefs.dedup();
                assert_eq!(prefs.len(), a.proposals.len());
                assert!(prefs.iter().all(|p| (1..=5).contains(p)));
            }
        }
    }
});
