//! A plan folder written by siting, read back as the network a re-plan starts from
//! (`--previous PLAN_DIR`): its catchments are the existing ones; each catchment's center is
//! its existing or awarded site (open), or its ideal center where nothing was awarded (a
//! gap, vacant: to be tendered); `assignments.csv` says where each household was.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Error, PreviousPlanProblem, Result};
use crate::io::read::csv::{InputDigest, ReadOptions, read_hashed};
use crate::io::read::open::read_table_file;
use crate::io::read::previous::{center_index, read_assignments};
use crate::model::LonLat;
use crate::network::{CenterStatus, ExistingCenter, Previous, Sizing};

/// The files of a plan folder a re-plan reads, in the order their digests are recorded.
pub(crate) const PREVIOUS_FILES: [&str; 3] =
    ["catchments.geojson", "centers.geojson", "assignments.csv"];

/// Reads the plan folder `dir` as the network a re-plan starts from, with the digests of
/// the files read (`catchments.geojson`, `centers.geojson`, `assignments.csv`).
///
/// # Errors
/// [`Error::PreviousPlan`] when the folder is missing, empty, not a siting plan or a file
/// in it is damaged; the positioned errors of the CSV readers for `assignments.csv`.
pub fn read_previous_plan(dir: &Path) -> Result<(Previous, Vec<InputDigest>)> {
    let problem = |path: PathBuf, problem| Error::PreviousPlan { path, problem };
    if !dir.is_dir() {
        return Err(problem(dir.to_path_buf(), PreviousPlanProblem::NoFolder));
    }
    let summary = read_json(&dir.join("summary.json"), None, Geometry::Keep)?;
    if summary.get("tool").and_then(Value::as_str) != Some("siting") {
        return Err(problem(
            dir.join("summary.json"),
            PreviousPlanProblem::NotSiting,
        ));
    }
    let by: Vec<String> = summary
        .pointer("/parameters/by")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let sizing = sizing(&summary);
    let mut digests = Vec::new();
    // The catchments' properties only: their polygons (most of a national plan's 18 MB)
    // are not needed to re-plan.
    let catchments = read_json(
        &dir.join(PREVIOUS_FILES[0]),
        Some(&mut digests),
        Geometry::Skip,
    )?;
    let sites = read_json(
        &dir.join(PREVIOUS_FILES[1]),
        Some(&mut digests),
        Geometry::Keep,
    )?;
    let centers = existing_centers(dir, &catchments, &sites)?;
    if centers.is_empty() {
        return Err(problem(
            dir.join(PREVIOUS_FILES[0]),
            PreviousPlanProblem::NoCatchments,
        ));
    }
    let mut previous = Previous::new(dir.display().to_string());
    previous.centers = centers;
    previous.region_columns = Some(by);
    previous.sizing = sizing;
    let assignments = dir.join(PREVIOUS_FILES[2]);
    if !assignments.is_file() {
        return Err(problem(
            assignments,
            PreviousPlanProblem::AssignmentsMissing,
        ));
    }
    let ids = center_index(&previous.centers);
    let options = ReadOptions::default();
    let ((assignment, _, rows), sha256, bytes) = read_table_file(&assignments, &options, |t| {
        read_assignments(t, &ids, dir, &options)
    })?;
    previous.assignment = assignment;
    digests.push(InputDigest {
        path: assignments.clone(),
        sha256,
        bytes,
        rows,
    });
    previous.files = PREVIOUS_FILES.iter().map(|f| dir.join(f)).collect();
    Ok((previous, digests))
}

/// How the plan of `summary` (its `summary.json`) sized its catchments, when it says.
fn sizing(summary: &Value) -> Option<Sizing> {
    let parameter = |name: &str| summary.pointer(&format!("/parameters/{name}"));
    Some(Sizing {
        target_size: u32::try_from(parameter("target_size")?.as_u64()?).ok()?,
        size_tolerance: parameter("size_tolerance")?.as_f64()?,
        catchments: parameter("catchments")
            .and_then(Value::as_u64)
            .and_then(|k| usize::try_from(k).ok()),
    })
}

/// Whether [`read_json`] keeps the geometries of a GeoJSON layer's features.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Geometry {
    /// The whole document.
    Keep,
    /// Only each feature's properties (`{"features": [{"properties": …}, …]}`, no other
    /// member); the geometries are checked to be JSON but not kept.
    Skip,
}

/// A GeoJSON layer read for its features' properties only.
#[derive(serde::Deserialize)]
struct PropertiesOnly {
    features: Option<Vec<FeatureProperties>>,
}

/// A feature read for its properties only.
#[derive(serde::Deserialize)]
struct FeatureProperties {
    #[serde(default)]
    properties: Value,
}

/// Reads a JSON file of the folder, recording its digest when asked.
fn read_json(
    path: &Path,
    digests: Option<&mut Vec<InputDigest>>,
    geometry: Geometry,
) -> Result<Value> {
    if !path.is_file() {
        return Err(Error::PreviousPlan {
            path: path.to_path_buf(),
            problem: PreviousPlanProblem::FileMissing,
        });
    }
    let (value, sha256, bytes) = read_hashed(path, |r| {
        // Whole, then parsed: `from_reader` reads an unbuffered reader a byte at a time,
        // which took 20 s for a national plan's 18 MB of catchments.
        let mut text = Vec::new();
        r.read_to_end(&mut text)
            .map_err(|e| Error::io("reading", path, e))?;
        let not_json = |e: serde_json::Error| Error::PreviousPlan {
            path: path.to_path_buf(),
            problem: PreviousPlanProblem::NotJson {
                detail: e.to_string(),
            },
        };
        if geometry == Geometry::Keep {
            return serde_json::from_slice::<Value>(&text).map_err(not_json);
        }
        // A document that is JSON but not a layer of features is told apart below, as
        // when the whole document is read.
        match serde_json::from_slice::<PropertiesOnly>(&text) {
            Ok(PropertiesOnly {
                features: Some(features),
            }) => Ok(serde_json::json!({
                "features": features
                    .into_iter()
                    .map(|f| serde_json::json!({ "properties": f.properties }))
                    .collect::<Vec<_>>()
            })),
            Ok(PropertiesOnly { features: None }) => Ok(Value::Null),
            Err(_) => serde_json::from_slice::<Value>(&text)
                .map_err(not_json)
                .map(|_| Value::Null),
        }
    })?;
    if let Some(d) = digests {
        d.push(InputDigest {
            path: path.to_path_buf(),
            sha256,
            bytes,
            rows: value
                .get("features")
                .and_then(Value::as_array)
                .map_or(0, |f| f.len() as u64),
        });
    }
    Ok(value)
}

/// The features of a GeoJSON layer.
fn features<'v>(layer: &'v Value, path: &Path) -> Result<&'v Vec<Value>> {
    layer
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::PreviousPlan {
            path: path.to_path_buf(),
            problem: PreviousPlanProblem::NotFeatures,
        })
}

/// The catchments as centers: at their existing or awarded site (open), else at the ideal
/// center (vacant).
fn existing_centers(dir: &Path, catchments: &Value, sites: &Value) -> Result<Vec<ExistingCenter>> {
    let catchments_path = dir.join(PREVIOUS_FILES[0]);
    let sites_path = dir.join(PREVIOUS_FILES[1]);
    // Catchment id → the point of its existing or awarded center.
    let mut built: HashMap<&str, LonLat> = HashMap::new();
    for f in features(sites, &sites_path)? {
        let kind = f.pointer("/properties/kind").and_then(Value::as_str);
        let id = f
            .pointer("/properties/catchment_id")
            .and_then(Value::as_str);
        let point = f
            .pointer("/geometry/coordinates")
            .and_then(Value::as_array)
            .and_then(|c| Some(LonLat::new(c.first()?.as_f64()?, c.get(1)?.as_f64()?)));
        if let (Some("existing" | "awarded_site"), Some(id), Some(point)) = (kind, id, point) {
            built.insert(id, point);
        }
    }
    let mut centers = Vec::new();
    for (n, f) in features(catchments, &catchments_path)?.iter().enumerate() {
        let text = |key: &str| {
            f.pointer(&format!("/properties/{key}"))
                .and_then(Value::as_str)
        };
        let number = |key: &str| {
            f.pointer(&format!("/properties/{key}"))
                .and_then(Value::as_f64)
        };
        let (Some(id), Some(lon), Some(lat)) = (
            text("catchment_id"),
            number("center_lon"),
            number("center_lat"),
        ) else {
            return Err(Error::PreviousPlan {
                path: catchments_path,
                problem: PreviousPlanProblem::FeatureIncomplete { feature: n + 1 },
            });
        };
        let (position, status) = match built.get(id) {
            Some(&site) => (site, CenterStatus::Open),
            None => (LonLat::new(lon, lat), CenterStatus::Vacant),
        };
        centers.push(ExistingCenter {
            id: id.to_string(),
            position,
            status,
            region: text("region").map(str::to_string),
            line: n as u64 + 1,
            generator: number("generator_lon")
                .zip(number("generator_lat"))
                .map(|(lon, lat)| LonLat::new(lon, lat)),
        });
    }
    Ok(centers)
}
