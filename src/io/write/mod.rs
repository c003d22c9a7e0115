//! Writing plans: GeoJSON layers ([`geojson`]), CSV tables ([`tables`]), the audit record
//! ([`summary`]), QGIS styles (`qml`), the page `report.html` ([`report`]) and the whole
//! plan folder, atomically ([`folder`]).

pub mod folder;
pub mod geojson;
pub(crate) mod qml;
pub mod report;
pub mod summary;
pub mod tables;
