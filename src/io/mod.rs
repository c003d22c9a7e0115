//! Reading inputs ([`read`]) and writing plans ([`write`]).

pub mod read;
pub mod write;
