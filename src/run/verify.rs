//! Re-checking a plan folder (`siting verify`): the inputs named in its `summary.json` (with
//! a re-plan's previous network) are hashed again and compared with the recorded SHA-256, the recorded [`Job`] is re-run into a
//! temporary folder, and every file is compared byte for byte with the folder's.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, SummaryProblem};
use crate::io::write::folder::WriteOptions;
use crate::run::job::Job;

/// Replacement inputs, for a plan folder moved away from its inputs: other paths, and the
/// sheets and encoding to read them with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    /// The households file to use instead of the recorded one.
    pub households: Option<PathBuf>,
    /// The applicants file to use instead of the recorded one.
    pub applicants: Option<PathBuf>,
    /// The households sheet to read instead of the recorded one.
    pub sheet: Option<String>,
    /// The applicants sheet to read instead of the recorded one.
    pub applicants_sheet: Option<String>,
    /// The text encoding to read with instead of the recorded one.
    pub encoding: Option<String>,
}

/// One input, checked against its recorded hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputCheck {
    /// The file read now.
    pub path: PathBuf,
    /// SHA-256 recorded in `summary.json`.
    pub recorded: String,
    /// SHA-256 of the file now.
    pub actual: String,
}

impl InputCheck {
    /// True when the file is unchanged.
    pub fn unchanged(&self) -> bool {
        self.recorded == self.actual
    }
}

/// How one file of the plan compares with the re-run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileStatus {
    /// Byte-identical.
    Identical,
    /// Both exist, the bytes differ.
    Differs,
    /// In the plan folder, not produced by the re-run.
    Extra,
    /// Produced by the re-run, missing from the plan folder.
    Missing,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq)]
pub struct Verification {
    /// The siting version that wrote the plan.
    pub recorded_version: String,
    /// The inputs, households first.
    pub inputs: Vec<InputCheck>,
    /// Every file of either folder, by name; empty when an input changed (no re-run).
    pub files: Vec<(String, FileStatus)>,
}

impl Verification {
    /// True when every input is unchanged and every file is byte-identical.
    pub fn confirmed(&self) -> bool {
        self.inputs.iter().all(InputCheck::unchanged)
            && !self.files.is_empty()
            && self.files.iter().all(|(_, s)| *s == FileStatus::Identical)
    }
}

fn invalid_summary(path: &Path, problem: SummaryProblem) -> Error {
    Error::InvalidSummary {
        path: path.to_path_buf(),
        problem,
    }
}

/// An input recorded in `summary` that cannot be opened, as [`Error::RecordedInputMissing`]
/// (which says where the recorded path is taken from); other errors are returned as they
/// are.
fn recorded_input_error(err: Error, summary: &Path, job: &Job) -> Error {
    match err {
        Error::Io {
            action: "opening",
            path,
            error,
        } => Error::RecordedInputMissing {
            summary: summary.to_path_buf(),
            path,
            with_applicants: job.applicants.is_some(),
            error,
        },
        other => other,
    }
}

/// Verifies the plan in `dir`; see the module docs.
///
/// # Errors
/// [`Error::Io`] when the folder or its summary cannot be read,
/// [`Error::RecordedInputMissing`] when an input recorded in `summary.json` cannot be
/// opened, [`Error::InvalidSummary`] when `summary.json` is not a siting summary, and any
/// error of re-running the plan.
pub fn verify(dir: &Path, overrides: &Overrides) -> Result<Verification> {
    let summary_path = dir.join("summary.json");
    let (summary, recorded_job) = read_summary(&summary_path)?;
    // Read from the overriding paths, but write the recorded ones, as the plan did.
    let job = with_overrides(&recorded_job, overrides);
    let inputs = check_inputs(&summary, &summary_path, &recorded_job, &job, overrides)?;
    let recorded_version = summary["version"].as_str().unwrap_or_default().to_string();
    if !inputs.iter().all(InputCheck::unchanged) {
        return Ok(Verification {
            recorded_version,
            inputs,
            files: Vec::new(),
        });
    }
    let files = rerun_and_compare(dir, &job, &recorded_job)?;
    Ok(Verification {
        recorded_version,
        inputs,
        files,
    })
}

/// The summary at `summary_path`, checked to be siting's, and the job it records.
fn read_summary(summary_path: &Path) -> Result<(serde_json::Value, Job)> {
    let text =
        std::fs::read_to_string(summary_path).map_err(|e| Error::io("reading", summary_path, e))?;
    let summary: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        invalid_summary(
            summary_path,
            SummaryProblem::NotJson {
                detail: e.to_string(),
            },
        )
    })?;
    if summary.get("tool").and_then(|t| t.as_str()) != Some("siting") {
        return Err(invalid_summary(summary_path, SummaryProblem::NotSiting));
    }
    let recorded_job: Job = serde_json::from_value(summary["parameters"].clone()).map_err(|e| {
        invalid_summary(
            summary_path,
            SummaryProblem::Parameters {
                detail: e.to_string(),
            },
        )
    })?;
    Ok((summary, recorded_job))
}

/// The recorded job reading its inputs from the overriding paths.
fn with_overrides(recorded_job: &Job, overrides: &Overrides) -> Job {
    let mut job = recorded_job.clone();
    if let Some(p) = &overrides.households {
        job.households = p.clone();
    }
    if let Some(p) = &overrides.applicants {
        job.applicants = Some(p.clone());
    }
    if let Some(sheet) = &overrides.sheet {
        job.sheet = Some(sheet.clone());
    }
    if let Some(sheet) = &overrides.applicants_sheet {
        job.applicants_sheet = Some(sheet.clone());
    }
    if let Some(encoding) = &overrides.encoding {
        job.encoding = Some(encoding.clone());
    }
    job
}

/// Hashes `job`'s inputs, and a re-plan's previous network, and pairs them with the hashes
/// recorded in `summary`.
fn check_inputs(
    summary: &serde_json::Value,
    summary_path: &Path,
    recorded_job: &Job,
    job: &Job,
    overrides: &Overrides,
) -> Result<Vec<InputCheck>> {
    let recorded: Vec<String> = summary["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["sha256"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default();
    // Each input with whether its path is the recorded one (not an override).
    let paths: Vec<(PathBuf, bool)> =
        std::iter::once((job.households.clone(), overrides.households.is_none()))
            .chain(
                job.applicants
                    .clone()
                    .map(|p| (p, overrides.applicants.is_none())),
            )
            .collect();
    // Then a re-plan's previous network (its files, as recorded after the households and
    // applicants): re-read by the re-run from the recorded paths, so checked there too.
    let first_others = paths.len();
    let others: Vec<(PathBuf, bool)> = summary["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .skip(first_others)
                .filter_map(|i| i["path"].as_str())
                .map(|p| (PathBuf::from(p), false))
                .collect()
        })
        .unwrap_or_default();
    let mut inputs = Vec::with_capacity(paths.len() + others.len());
    for (i, (path, as_recorded)) in paths.into_iter().chain(others).enumerate() {
        let actual = crate::io::read::csv::sha256_file(&path).map_err(|e| {
            if as_recorded {
                recorded_input_error(e, summary_path, recorded_job)
            } else {
                e
            }
        })?;
        inputs.push(InputCheck {
            path,
            recorded: recorded.get(i).cloned().unwrap_or_default(),
            actual,
        });
    }
    Ok(inputs)
}

/// Re-runs `job`, writes it as `recorded_job` into a temporary folder and compares every
/// file with `dir`'s.
fn rerun_and_compare(
    dir: &Path,
    job: &Job,
    recorded_job: &Job,
) -> Result<Vec<(String, FileStatus)>> {
    let mut outcome = job.run(&|_| {})?;
    let recorded_paths =
        std::iter::once(recorded_job.households.clone()).chain(recorded_job.applicants.clone());
    for (digest, path) in outcome.inputs.iter_mut().zip(recorded_paths) {
        digest.path = path;
    }
    let scratch = tempfile::Builder::new()
        .prefix(".siting-verify-")
        .tempdir()
        .map_err(|e| Error::io("creating a temporary folder", std::env::temp_dir(), e))?;
    let rerun = scratch.path().join("plan");
    recorded_job.write(&outcome, &rerun, &WriteOptions::default())?;
    compare_folders(dir, &rerun)
}

/// The names of the files in folder `d`.
fn file_names(d: &Path) -> Result<BTreeSet<String>> {
    let mut set = BTreeSet::new();
    for entry in std::fs::read_dir(d).map_err(|e| Error::io("reading", d, e))? {
        let entry = entry.map_err(|e| Error::io("reading", d, e))?;
        set.insert(entry.file_name().to_string_lossy().into_owned());
    }
    Ok(set)
}

/// Every file of either folder, by name, with how `dir`'s compares with `rerun`'s.
fn compare_folders(dir: &Path, rerun: &Path) -> Result<Vec<(String, FileStatus)>> {
    let (old, new) = (file_names(dir)?, file_names(rerun)?);
    let mut files = Vec::new();
    for name in old.union(&new) {
        let status = match (old.contains(name), new.contains(name)) {
            (true, true) => {
                let read = |p: PathBuf| std::fs::read(&p).map_err(|e| Error::io("reading", p, e));
                if read(dir.join(name))? == read(rerun.join(name))? {
                    FileStatus::Identical
                } else {
                    FileStatus::Differs
                }
            }
            (true, false) => FileStatus::Extra,
            _ => FileStatus::Missing,
        };
        files.push((name.clone(), status));
    }
    Ok(files)
}
