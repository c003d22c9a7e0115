//! Reading inputs: households and applicants files, with positioned errors.

pub mod applicants;
pub mod households;
pub mod number;
