//! Whole runs from files: a planning job ([`job`]), a dry run that checks the input
//! ([`check`]) and the re-run that verifies a plan folder ([`verify`]).

pub mod check;
pub mod job;
pub mod verify;
