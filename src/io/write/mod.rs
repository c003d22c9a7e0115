//! Writing plans: GeoJSON layers, CSV tables, `summary.json`, QGIS styles and the plan folder.

pub mod folder;
pub mod geojson;
pub mod qml;
