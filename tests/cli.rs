//! Integration tests: run the `siting` binary on the bundled sample and parse every output.

mod common;

use std::path::Path;

use common::{first_column, plan_quietly, siting};

const SAMPLE: &str = "data/qazvin_households.csv";
const APPLICANTS: &str = "data/qazvin_applicants.csv";

/// The files of every plan folder (SPEC §5).
const FILES: &[&str] = &[
    "catchments.geojson",
    "catchments.qml",
    "centers.geojson",
    "centers.qml",
    "assignments.csv",
    "map.svg",
    "report.html",
    "summary.json",
];

/// The files added when applicants are given.
const APPLICANT_FILES: &[&str] = &["proposals.geojson", "proposals.qml", "applicants.csv"];

fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn run_plan(out: &Path, extra: &[&str]) -> serde_json::Value {
    plan_quietly(SAMPLE, out, extra);
    for f in FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    read_json(&out.join("summary.json"))
}

fn check_layers(out: &Path, catchments: usize) {
    let ids = first_column(SAMPLE);
    for layer in ["catchments.geojson", "centers.geojson"] {
        let text = std::fs::read_to_string(out.join(layer)).expect("layer");
        let gj: geojson::GeoJson = text.parse().expect("valid GeoJSON");
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            panic!("{layer} is not a FeatureCollection")
        };
        assert_eq!(fc.features.len(), catchments, "{layer}");
        for f in &fc.features {
            let p = f.properties.as_ref().expect("properties");
            assert!(p["households"].is_u64(), "households must be a JSON number");
            assert!(p["mean_distance_m"].is_f64() || p["mean_distance_m"].is_u64());
            // No household id anywhere in a public layer (SPEC §7).
            for v in p.values() {
                if let Some(s) = v.as_str() {
                    assert!(!ids.contains(s), "{layer} leaks household id {s}");
                }
            }
            if let Some(geojson::Geometry {
                value: geojson::GeometryValue::Polygon { coordinates },
                ..
            }) = &f.geometry
            {
                let ring = &coordinates[0];
                assert_eq!(ring.first(), ring.last(), "ring closed");
                let twice_area: f64 = ring
                    .windows(2)
                    .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
                    .sum();
                assert!(
                    twice_area > 0.0,
                    "exterior ring must be counter-clockwise (RFC 7946)"
                );
                for pos in ring.iter() {
                    assert!((-180.0..=180.0).contains(&pos[0]) && (-90.0..=90.0).contains(&pos[1]));
                }
            }
        }
    }
}

#[test]
fn plans_the_bundled_sample() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let summary = run_plan(&out, &[]);
    assert_eq!(summary["counts"]["catchments"], 53);
    assert_eq!(summary["counts"]["rows"], 24_000);
    assert_eq!(summary["metrics"]["balanced"], true);
    assert_eq!(
        summary["inputs"][0]["sha256"].as_str().map(str::len),
        Some(64)
    );
    check_layers(&out, 53);
    let assignments = std::fs::read_to_string(out.join("assignments.csv")).expect("csv");
    assert_eq!(assignments.lines().count(), 24_001);
    assert!(assignments.starts_with("household_id,catchment_id,distance_m\n"));

    // Re-running into the same folder replaces the plan and gives identical bytes.
    let first = std::fs::read(out.join("catchments.geojson")).expect("read");
    run_plan(&out, &[]);
    assert_eq!(
        first,
        std::fs::read(out.join("catchments.geojson")).expect("read")
    );
}

#[test]
fn awards_the_sample_applicants_and_explains_every_outcome() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let summary = run_plan(&out, &["--applicants", APPLICANTS]);
    for f in APPLICANT_FILES {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let sites = &summary["sites"];
    assert_eq!(sites["applicants"], 100);
    assert_eq!(sites["award_rule"], "priority");
    let awarded = sites["awarded"]["catchments_awarded"]
        .as_u64()
        .expect("count");
    let gaps = sites["gaps"].as_array().expect("gaps").len() as u64;
    assert_eq!(awarded + gaps, 53);
    assert!(
        sites["rules"]["optimal"]["access"].as_f64()
            >= sites["rules"]["priority"]["access"].as_f64()
    );

    // One outcome row per applicant, each with a reason.
    let mut table = csv::Reader::from_path(out.join("applicants.csv")).expect("applicants.csv");
    let header = table.headers().expect("header").clone();
    assert_eq!(&header[0], "applicant_id");
    let rows: Vec<csv::StringRecord> = table.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 100);
    for r in &rows {
        let outcome = &r[1];
        assert!(["awarded", "not_awarded", "ineligible"].contains(&outcome));
        assert!(r[7].starts_with(match outcome {
            "awarded" => "awarded C-",
            "not_awarded" => "not awarded",
            _ => "ineligible",
        }));
    }

    // Layers: statuses agree with the awards; proposals carry applicant ids only.
    let catchments = read_json(&out.join("catchments.geojson"));
    let statuses: Vec<&str> = catchments["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["status"].as_str().expect("status"))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "awarded").count() as u64,
        awarded
    );
    let centers = read_json(&out.join("centers.geojson"));
    let kinds = centers["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["kind"] == "awarded_site")
        .count() as u64;
    assert_eq!(kinds, awarded);
    let proposals = read_json(&out.join("proposals.geojson"));
    let features = proposals["features"].as_array().expect("features");
    assert_eq!(
        features.len() as u64,
        sites["proposals"].as_u64().expect("n")
    );
    let allowed = [
        "applicant_id",
        "preference",
        "catchment_id",
        "region",
        "efficiency",
        "mean_distance_m",
        "share_within_1000m",
        "share_within_3000m",
        "rank_in_catchment",
        "outside_polygon_m",
        "outcome",
    ];
    for f in features {
        let p = f["properties"].as_object().expect("properties");
        for key in p.keys() {
            assert!(allowed.contains(&key.as_str()), "unexpected field {key}");
        }
    }
    check_layers(&out, 53);

    // The applicants' personal column never reaches any file of the plan (SPEC §7).
    for entry in std::fs::read_dir(&out).expect("plan dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("text");
        assert!(
            !text.contains("Applicant 1"),
            "{} leaks an applicant name",
            path.display()
        );
    }
}

#[test]
fn same_bytes_with_one_and_two_threads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let args = [
        "--seed",
        "9",
        "--applicants",
        APPLICANTS,
        "--award",
        "optimal",
    ];
    run_plan(
        &dir.path().join("t1"),
        &[&["--threads", "1"][..], &args].concat(),
    );
    run_plan(
        &dir.path().join("t2"),
        &[&["--threads", "2"][..], &args].concat(),
    );
    let files = FILES.iter().chain(APPLICANT_FILES);
    for f in files {
        let a = std::fs::read(dir.path().join("t1").join(f)).expect("read");
        let b = std::fs::read(dir.path().join("t2").join(f)).expect("read");
        assert!(a == b, "{f} differs between 1 and 2 threads");
    }
}

#[test]
fn plans_by_region_and_with_zero_tolerance() {
    let dir = tempfile::tempdir().expect("tempdir");
    let summary = run_plan(&dir.path().join("by"), &["--by", "county"]);
    assert!(summary["counts"]["regions"].as_u64() > Some(1));
    for r in summary["regions"].as_array().expect("regions") {
        assert!(r["smallest"].as_u64() >= r["min_size"].as_u64());
        assert!(r["largest"].as_u64() <= r["max_size"].as_u64());
    }
    check_layers(
        &dir.path().join("by"),
        summary["counts"]["catchments"].as_u64().unwrap_or(0) as usize,
    );
    let summary = run_plan(&dir.path().join("tol0"), &["--tolerance", "0"]);
    let m = &summary["metrics"];
    assert!(
        m["largest_catchment"].as_u64().unwrap_or(99)
            - m["smallest_catchment"].as_u64().unwrap_or(0)
            <= 1
    );
}

#[test]
fn refuses_foreign_folder_and_reports_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.txt"), "keep me").expect("write");
    let out = siting()
        .args(["plan", SAMPLE, "--out"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a siting plan"));
    assert!(dir.path().join("notes.txt").exists());

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "household_id,lon,lat\nh1,50.1,36.2\nh2,50.1,xx\n").expect("write");
    let out = siting()
        .args(["plan"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("p"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv:3:3") && err.contains("latitude 'xx'"),
        "{err}"
    );
    assert!(!dir.path().join("p").exists(), "no partial plan on failure");

    let out = siting()
        .args(["plan", SAMPLE, "--crs", "EPSG:32639", "--out"])
        .arg(dir.path().join("q"))
        .output()
        .expect("runs");
    if !cfg!(feature = "proj") {
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("'proj' feature"));
    }
}

/// With the `proj` feature, UTM zone 39N (EPSG:32639) input is converted to WGS 84:
/// easting 500 000 m lies on the zone's central meridian, 51°E.
#[cfg(feature = "proj")]
#[test]
fn reads_utm_39n_with_proj() {
    let mut hh = siting::Households::from_points([("a", 500_000.0, 4_000_000.0, 1)]);
    siting::to_lonlat("EPSG:32639", &mut hh).expect("PROJ converts");
    let p = hh.items[0].position;
    assert!((p.lon - 51.0).abs() < 1e-6, "{p:?}");
    assert!((36.0..36.3).contains(&p.lat), "{p:?}");

    // End to end: households and applicants given in UTM 39N eastings/northings.
    let dir = tempfile::tempdir().expect("tempdir");
    let households = dir.path().join("utm.csv");
    let mut text = String::from("household_id,x,y\n");
    for i in 0..2_000u32 {
        // A 40 × 50 grid of 200 m steps west of the zone's central meridian.
        let (x, y) = (
            440_000.0 + f64::from(i % 40) * 200.0,
            3_990_000.0 + f64::from(i / 40) * 200.0,
        );
        text.push_str(&format!("h{i},{x},{y}\n"));
    }
    std::fs::write(&households, text).expect("write");
    let applicants = dir.path().join("applicants.csv");
    std::fs::write(
        &applicants,
        "applicant_id,preference,x,y\nA-1,1,444000,3995000\nA-2,1,446000,3997000\n",
    )
    .expect("write");
    let out = dir.path().join("plan");
    let status = siting()
        .arg("plan")
        .arg(&households)
        .arg("--applicants")
        .arg(&applicants)
        .args(["--crs", "EPSG:32639", "--quiet", "--out"])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["counts"]["catchments"], 4);
    assert_eq!(summary["parameters"]["crs"], "EPSG:32639");
    // The layers are WGS 84 degrees around 50.3°E 36.1°N, not metres.
    for layer in ["catchments.geojson", "centers.geojson", "proposals.geojson"] {
        let text = std::fs::read_to_string(out.join(layer)).expect("layer");
        let gj: geojson::GeoJson = text.parse().expect("GeoJSON");
        let geojson::GeoJson::FeatureCollection(fc) = gj else {
            panic!("{layer}")
        };
        for f in &fc.features {
            let g = f.geometry.as_ref().expect("geometry");
            let positions: Vec<geojson::Position> = match &g.value {
                geojson::GeometryValue::Point { coordinates } => vec![coordinates.clone()],
                geojson::GeometryValue::Polygon { coordinates } => coordinates[0].clone(),
                other => panic!("{other:?}"),
            };
            for p in positions {
                assert!(
                    (50.2..50.6).contains(&p[0]) && (35.9..36.3).contains(&p[1]),
                    "{layer}: {p:?}"
                );
            }
        }
    }
    // Distances are metres: the grid is 8 km × 10 km, so a quarter of it has a mean
    // distance to its center of a couple of kilometres.
    let mean = summary["metrics"]["mean_distance_m"]
        .as_f64()
        .expect("mean");
    assert!((1_000.0..3_000.0).contains(&mean), "{mean}");
    let applicants_csv = std::fs::read_to_string(out.join("applicants.csv")).expect("csv");
    assert!(applicants_csv.contains("A-2,awarded"), "{applicants_csv}");
}

/// Progress bars are for terminals: with output piped, stderr carries no progress.
#[test]
fn no_progress_when_not_a_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = siting()
        .args(["plan", SAMPLE, "--out"])
        .arg(dir.path().join("plan"))
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("balancing") && !err.contains("reading"),
        "{err}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("plan written to"));
}

/// Shell completions name the subcommands.
#[test]
fn prints_shell_completions() {
    for shell in ["bash", "zsh", "fish"] {
        let out = siting()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{shell}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("siting") && text.contains("generate"),
            "{shell}: {text}"
        );
    }
}

#[test]
fn verify_confirms_a_plan_and_catches_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Inputs copied into the temp folder so that one can be changed afterwards.
    let households = dir.path().join("households.csv");
    let applicants = dir.path().join("applicants.csv");
    std::fs::copy(SAMPLE, &households).expect("copy");
    std::fs::copy(APPLICANTS, &applicants).expect("copy");
    let out = dir.path().join("plan");
    let status = siting()
        .arg("plan")
        .arg(&households)
        .arg("--applicants")
        .arg(&applicants)
        .arg("--out")
        .arg(&out)
        .args(["--quiet", "--award", "optimal", "--seed", "3"])
        .status()
        .expect("runs");
    assert!(status.success());
    let verify = |extra: &[&str]| {
        let o = siting()
            .arg("verify")
            .arg(&out)
            .args(extra)
            .output()
            .expect("runs");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let (code, text) = verify(&[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("catchments.geojson: identical"), "{text}");
    assert!(text.contains("verified"), "{text}");

    // A tampered output file is caught.
    let layer = out.join("centers.geojson");
    let original = std::fs::read(&layer).expect("read");
    std::fs::write(&layer, b"{}").expect("write");
    let (code, text) = verify(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("centers.geojson: DIFFERS"), "{text}");
    std::fs::write(&layer, original).expect("restore");

    // A changed input is caught before any re-run.
    let mut rows = std::fs::read_to_string(&applicants).expect("read");
    rows.push_str("A-9999,Someone,1,50.0,36.27,99,true,1\n");
    std::fs::write(&applicants, rows).expect("write");
    let (code, text) = verify(&[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("CHANGED"), "{text}");
    // Pointing verify at the original file confirms the plan again.
    let (code, text) = verify(&["--applicants", APPLICANTS]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn verify_elsewhere_says_where_recorded_inputs_are_taken_from() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A plan made in `made/` from relative paths, verified from `elsewhere/`.
    let made = dir.path().join("made");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(made.join("data")).expect("mkdir");
    std::fs::create_dir_all(&elsewhere).expect("mkdir");
    std::fs::copy(SAMPLE, made.join(SAMPLE)).expect("copy");
    std::fs::copy(APPLICANTS, made.join(APPLICANTS)).expect("copy");
    let status = siting()
        .current_dir(&made)
        .args(["plan", SAMPLE, "--applicants", APPLICANTS, "--out", "plan"])
        .args(["--quiet", "--date", "2026-12-02"])
        .status()
        .expect("runs");
    assert!(status.success());
    let verify = |extra: &[&std::ffi::OsStr]| {
        let o = siting()
            .current_dir(&elsewhere)
            .arg("verify")
            .arg(made.join("plan"))
            .args(extra)
            .output()
            .expect("runs");
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, text) = verify(&[]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains(&format!("opening {SAMPLE}: ")), "{text}");
    // The operating system's message once, not repeated by the error chain.
    assert_eq!(text.matches("(os error 2)").count(), 1, "{text}");
    assert!(
        text.contains("records this path relative to the folder the plan was made in"),
        "{text}"
    );
    assert!(text.contains("not which folder that was"), "{text}");
    assert!(
        text.contains("--households FILE / --applicants FILE"),
        "{text}"
    );
    // Doing what the message says confirms the plan.
    let (households, applicants) = (made.join(SAMPLE), made.join(APPLICANTS));
    let (code, text) = verify(&[
        "--households".as_ref(),
        households.as_os_str(),
        "--applicants".as_ref(),
        applicants.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{text}");
}

#[test]
fn a_missing_input_names_its_cause_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let o = siting()
        .args(["plan", "no-such-file.csv", "--out"])
        .arg(dir.path().join("plan"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{text}");
    assert!(
        text.starts_with("error: opening no-such-file.csv: "),
        "{text}"
    );
    assert_eq!(text.matches("(os error 2)").count(), 1, "{text}");
}

#[test]
fn no_polygon_vertex_is_a_household_and_private_files_stay_private() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    run_plan(&out, &["--applicants", APPLICANTS, "--by", "county"]);
    // Household locations at the 7 decimals the layers use.
    let key = |lon: f64, lat: f64| ((lon * 1e7).round() as i64, (lat * 1e7).round() as i64);
    let homes: std::collections::HashSet<(i64, i64)> = std::fs::read_to_string(SAMPLE)
        .expect("sample")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            key(f[1].parse().expect("lon"), f[2].parse().expect("lat"))
        })
        .collect();
    for layer in ["catchments.geojson", "centers.geojson", "proposals.geojson"] {
        let gj = read_json(&out.join(layer));
        for f in gj["features"].as_array().expect("features") {
            let coords = &f["geometry"]["coordinates"];
            let points: Vec<&serde_json::Value> = match f["geometry"]["type"].as_str() {
                Some("Polygon") => coords[0].as_array().expect("ring").iter().collect(),
                _ => vec![coords],
            };
            for p in points {
                let k = key(p[0].as_f64().expect("lon"), p[1].as_f64().expect("lat"));
                if layer == "catchments.geojson" {
                    assert!(!homes.contains(&k), "{layer}: a vertex sits on a household");
                }
            }
        }
        // No applicant column other than applicant_id, no household id.
        let text = std::fs::read_to_string(out.join(layer)).expect("layer");
        for private in ["\"name\"", "national_id", "household_id", "Applicant 1"] {
            assert!(!text.contains(private), "{layer} contains {private}");
        }
    }
    // The README names the private files.
    let readme = std::fs::read_to_string("README.md").expect("README");
    for private in ["assignments.csv", "rejected.csv"] {
        assert!(
            readme.contains(&format!("`{private}`")) && readme.contains("private"),
            "README must name {private} as private"
        );
    }
}

#[test]
fn a_failed_run_leaves_the_previous_plan_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    run_plan(&out, &[]);
    let before = std::fs::read(out.join("catchments.geojson")).expect("read");
    let status = siting()
        .args(["plan", "tests/data/bad/hh_nan.csv", "--out"])
        .arg(&out)
        .arg("--quiet")
        .output()
        .expect("runs");
    assert_eq!(status.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&status.stderr).contains("hh_nan.csv:4:2"));
    assert_eq!(
        std::fs::read(out.join("catchments.geojson")).expect("read"),
        before
    );
    // No temporary folders left beside it.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".siting-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_profiles_the_sample_and_flags_a_broken_file() {
    let o = siting()
        .args([
            "check",
            SAMPLE,
            "--applicants",
            APPLICANTS,
            "--by",
            "county",
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(report["rows"], 24_000);
    let regions = report["regions"].as_array().expect("regions");
    assert!(regions.len() > 1);
    let k: u64 = regions
        .iter()
        .map(|r| r["bounds"]["k"].as_u64().expect("k"))
        .sum();
    assert_eq!(k, 53);
    assert_eq!(report["applicants"][0], 100);

    let o = siting()
        .args(["check", "tests/data/bad/hh_weight_zero.csv"])
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(2));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("hh_weight_zero.csv:4:4"), "{text}");
    assert!(text.contains("not ok"), "{text}");
}

#[test]
fn json_summary_on_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("plan");
    let o = siting()
        .args(["plan", SAMPLE, "--json", "--out"])
        .arg(&out)
        .output()
        .expect("runs");
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["counts"]["catchments"], 53);
    assert!(v["elapsed_s"].as_f64().is_some());
    assert_eq!(v["tool"], "siting");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::BufRead;
    let mut child = siting()
        .args(["generate", "--n", "100000", "--out", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("runs");
    let mut header = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut header)
        .expect("reads");
    // The reader is dropped: far more than a pipe's buffer is still to be written.
    let o = child.wait_with_output().expect("waits");
    let text = String::from_utf8_lossy(&o.stderr);
    assert!(header.starts_with("household_id,"), "{header}");
    assert_eq!(o.status.code(), Some(0), "{text}");
    assert!(text.is_empty(), "{text}");
}

/// A re-plan from the command line (SPEC §8): the sample re-planned against its own plan
/// moves nobody and says so; with applicants only catchments without an open center are
/// awarded; `moves.csv` is private and complete; `verify` re-runs the re-plan.
#[test]
fn replans_the_sample_against_its_own_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("first");
    run_plan(&first, &["--applicants", APPLICANTS]);
    let again = dir.path().join("again");
    let out = siting()
        .args(["plan", SAMPLE, "--applicants", APPLICANTS, "--previous"])
        .arg(&first)
        .arg("--out")
        .arg(&again)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("moved 0 of 24,000 households (0.0 %); 0 new catchments, 7 to re-tender"),
        "{stdout}"
    );
    let summary = read_json(&again.join("summary.json"));
    assert_eq!(summary["replan"]["churn"]["moved"], 0);
    assert_eq!(
        summary["replan"]["re_tender"].as_array().map(Vec::len),
        Some(7)
    );
    // The 46 catchments with a center are served: only the 7 gaps can be awarded.
    let served = read_json(&again.join("catchments.geojson"));
    let features = served["features"].as_array().expect("features");
    let existing = features
        .iter()
        .filter(|f| f["properties"]["status"] == "existing")
        .count();
    assert_eq!(existing, 46);
    assert!(
        features
            .iter()
            .all(|f| f["properties"]["change"].is_string())
    );
    let centers = read_json(&again.join("centers.geojson"));
    let kinds: Vec<&str> = centers["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["kind"].as_str())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "existing").count(), 46);
    let applicants = std::fs::read_to_string(again.join("applicants.csv")).expect("applicants");
    assert!(applicants.contains("served already by an open center"));
    // QGIS styles: the re-plan's catchments are drawn by rules that mark the catchments to
    // re-tender and new ones over the status fills; the first plan's by status categories.
    let style = std::fs::read_to_string(again.join("catchments.qml")).expect("style");
    assert!(style.contains(r#"type="RuleRenderer""#), "{style}");
    assert!(
        style.contains("&quot;change&quot; = 're_tender'"),
        "{style}"
    );
    let first_style = std::fs::read_to_string(first.join("catchments.qml")).expect("style");
    assert!(first_style.contains(r#"type="categorizedSymbol" attr="status""#));
    // moves.csv: its header only (nobody moved, arrived or left), and no household id in the
    // public layers.
    let moves = std::fs::read_to_string(again.join("moves.csv")).expect("moves");
    assert_eq!(moves.trim(), "household_id,from,to,reason,households");
    for layer in ["catchments.geojson", "centers.geojson"] {
        let text = std::fs::read_to_string(again.join(layer)).expect("layer");
        assert!(!text.contains("H0000001"), "{layer} names a household");
    }
    let verify = siting().arg("verify").arg(&again).output().expect("runs");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(stdout.contains("reproduced byte for byte"), "{stdout}");
    // The previous plan's files are inputs too: a changed one is named, nothing re-run.
    assert!(stdout.contains("assignments.csv: unchanged"), "{stdout}");
    let previous = first.join("assignments.csv");
    let mut text = std::fs::read_to_string(&previous).expect("assignments");
    text.push('\n');
    std::fs::write(&previous, text).expect("written");
    let verify = siting().arg("verify").arg(&again).output().expect("runs");
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(!verify.status.success(), "{stdout}");
    assert!(stdout.contains("assignments.csv: CHANGED"), "{stdout}");
}
