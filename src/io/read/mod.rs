//! Reading inputs: households ([`households`]) and applicants ([`applicants`]) files, as
//! text or as a sheet of a workbook, and the network a re-plan starts from (`previous` for
//! an office's own records, `plan_folder` for a plan written by siting), with positioned
//! errors.
//!
//! Below the readers, in dependency order: `names` (header normalisation and aliases),
//! `format` (text or which workbook, from the first bytes), `encoding` (byte-order marks,
//! `--encoding`, decoding), `number` (Persian/Arabic digits), `csv` (the CSV record reader,
//! hashing, coordinate checks), `table` (header + rows of cells, whatever the source),
//! `sheet` (a workbook's sheet as a table, with calamine) and `open` (a file opened as a
//! table, with its digest).

pub mod applicants;
pub(crate) mod csv;
pub(crate) mod encoding;
pub(crate) mod format;
pub mod households;
pub(crate) mod names;
pub(crate) mod number;
pub(crate) mod open;
pub(crate) mod plan_folder;
pub(crate) mod previous;
pub(crate) mod sheet;
pub(crate) mod table;
