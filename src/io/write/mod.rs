//! Writing plans: GeoJSON layers ([`geojson`]), CSV tables ([`tables`]), the audit record
//! ([`summary`]), QGIS styles (`qml`) and the whole plan folder, atomically ([`folder`]).

pub mod folder;
pub mod geojson;
pub(crate) mod qml;
pub mod summary;
pub mod tables;
