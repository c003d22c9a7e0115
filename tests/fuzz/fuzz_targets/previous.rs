//! Any bytes as the records a re-plan starts from: an office's `centers.csv` and previous
//! assignments, and each file of a previous siting plan folder in turn. Never a panic; what
//! is read holds together: center ids are unique, every assignment points at a listed
//! center, and with `skip_invalid` every row of the centers file is kept or set aside.
#![no_main]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use siting::{
    Audit, Households, PlanConfig, PlanFolder, Planner, Previous, ReadOptions, WriteOptions,
    read_centers, read_previous_files, read_previous_plan,
};

/// The files of a plan folder that a re-plan reads.
const PLAN_FILES: [&str; 4] = [
    "summary.json",
    "catchments.geojson",
    "centers.geojson",
    "assignments.csv",
];

/// A scratch folder of this process.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("siting-fuzz-previous-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

/// A real plan folder of 60 households in 3 catchments, written once.
fn template() -> &'static PathBuf {
    static PLAN: OnceLock<PathBuf> = OnceLock::new();
    PLAN.get_or_init(|| {
        let ids: Vec<String> = (0..60).map(|i| format!("h{i}")).collect();
        let hh = Households::from_points(ids.iter().enumerate().map(|(i, id)| {
            let (x, y) = ((i % 10) as f64, (i / 10) as f64);
            (id.as_str(), 50.0 + x * 1e-3, 36.0 + y * 1e-3, 1)
        }));
        let planner = Planner::new(PlanConfig::default().target_size(20)).expect("config");
        let plan = planner.plan(&hh).expect("plan");
        let audit = Audit::new(Vec::new(), &serde_json::json!({ "by": [] })).expect("audit");
        let dir = scratch().join("template");
        PlanFolder::new(&plan, &hh, &audit)
            .write(&dir, &WriteOptions::default())
            .expect("written");
        dir
    })
}

/// What any network read must hold.
fn holds_together(previous: &Previous) {
    let mut ids = HashSet::new();
    for c in &previous.centers {
        assert!(ids.insert(c.id.clone()), "center id {} listed twice", c.id);
    }
    for &c in previous.assignment.values() {
        assert!((c as usize) < previous.centers.len());
    }
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("centers.csv");
    for skip_invalid in [false, true] {
        let options = ReadOptions {
            skip_invalid,
            ..ReadOptions::default()
        };
        if let Ok((centers, rejected, rows)) = read_centers(data, path, &options) {
            if skip_invalid {
                assert_eq!(centers.len() as u64 + rejected.len() as u64, rows);
            }
        }
    }
    // The two files of an office: split at the first NUL byte (or in the middle).
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (centers, assignments) = (&data[..cut], &data[(cut + 1).min(data.len())..]);
    let dir = scratch();
    let (cpath, apath) = (dir.join("centers.csv"), dir.join("assignments.csv"));
    std::fs::write(&cpath, centers).expect("write");
    std::fs::write(&apath, assignments).expect("write");
    for skip_invalid in [false, true] {
        let options = ReadOptions {
            skip_invalid,
            ..ReadOptions::default()
        };
        if let Ok((previous, _)) = read_previous_files(&cpath, &apath, &options) {
            holds_together(&previous);
        }
    }
    // One file of a real plan folder replaced by the bytes.
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let folder = dir.join("plan");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("plan folder");
    for entry in std::fs::read_dir(template()).expect("template") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), folder.join(entry.file_name())).expect("copy");
    }
    let file = PLAN_FILES[usize::from(which) % PLAN_FILES.len()];
    std::fs::write(folder.join(file), body).expect("write");
    if let Ok((previous, _)) = read_previous_plan(&folder) {
        holds_together(&previous);
    }
});
