//! Reading inputs: households ([`households`]) and applicants ([`applicants`]) files, over
//! shared CSV plumbing (`csv`) and number parsing (`number`), with positioned errors.

pub mod applicants;
pub(crate) mod csv;
pub mod households;
pub(crate) mod number;
