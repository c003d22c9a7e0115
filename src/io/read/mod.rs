//! Reading inputs: households ([`households`]) and applicants ([`applicants`]) files, the
//! network a re-plan starts from (`previous` for an office's own records, `plan_folder`
//! for a plan written by siting), over shared CSV plumbing (`csv`) and number parsing
//! (`number`), with positioned errors.

pub mod applicants;
pub(crate) mod csv;
pub mod households;
pub(crate) mod number;
pub(crate) mod plan_folder;
pub(crate) mod previous;
