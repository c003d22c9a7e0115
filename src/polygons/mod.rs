//! Catchment polygons: power-diagram cells, or the travel objective's additively weighted
//! cells with hyperbolic borders ([`hyperbola`]), inside a region's envelope ([`cells`]), vertices
//! kept off household locations on the 7-decimal output grid ([`snap`]), and the borders
//! between regions whose households interleave, split by nearest household ([`borders`]).

pub(crate) mod borders;
pub(crate) mod cells;
pub(crate) mod hyperbola;
pub(crate) mod snap;
