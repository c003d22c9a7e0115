//! Map projections: WGS 84 longitude/latitude to a local metric plane and back.
//!
//! The planner projects each region once at the input boundary, computes in planar metres,
//! and returns to longitude/latitude only to write GeoJSON. The default
//! [`AzimuthalEquidistant`] projection is pure Rust: distances from its center are exact on
//! the sphere, and any distance between two points within 300 km of the center is off by
//! less than 0.05 % (tested against the haversine distance).

use crate::model::LonLat;

/// Mean Earth radius in metres (IUGG), used for the sphere.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A mapping between WGS 84 longitude/latitude and a planar coordinate system in metres.
pub trait Projection: Send + Sync {
    /// Longitude/latitude in degrees to planar `[x, y]` metres (x east, y north).
    fn forward(&self, p: LonLat) -> [f64; 2];
    /// Planar `[x, y]` metres back to longitude/latitude in degrees.
    fn inverse(&self, xy: [f64; 2]) -> LonLat;
}

/// Spherical azimuthal equidistant projection about a center point.
///
/// ```
/// use siting::{AzimuthalEquidistant, Projection};
/// use siting::LonLat;
/// let p = AzimuthalEquidistant::new(LonLat::new(50.0, 36.0));
/// let xy = p.forward(LonLat::new(50.1, 36.05));
/// let back = p.inverse(xy);
/// assert!((back.lon - 50.1).abs() < 1e-9 && (back.lat - 36.05).abs() < 1e-9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AzimuthalEquidistant {
    center: LonLat,
    sin_lat0: f64,
    cos_lat0: f64,
}

impl AzimuthalEquidistant {
    /// A projection centered on `center`.
    pub fn new(center: LonLat) -> Self {
        let (sin_lat0, cos_lat0) = center.lat.to_radians().sin_cos();
        AzimuthalEquidistant {
            center,
            sin_lat0,
            cos_lat0,
        }
    }

    /// A projection centered on the middle of the bounding box of `points`
    /// (the origin when there are none).
    pub fn centered_on<'a>(points: impl IntoIterator<Item = &'a LonLat>) -> Self {
        let mut lo = LonLat::new(f64::INFINITY, f64::INFINITY);
        let mut hi = LonLat::new(f64::NEG_INFINITY, f64::NEG_INFINITY);
        for p in points {
            lo.lon = lo.lon.min(p.lon);
            lo.lat = lo.lat.min(p.lat);
            hi.lon = hi.lon.max(p.lon);
            hi.lat = hi.lat.max(p.lat);
        }
        if lo.lon.is_finite() {
            Self::new(LonLat::new(
                (lo.lon + hi.lon) / 2.0,
                (lo.lat + hi.lat) / 2.0,
            ))
        } else {
            Self::new(LonLat::default())
        }
    }

    /// The projection's center.
    pub fn center(&self) -> LonLat {
        self.center
    }
}

impl Projection for AzimuthalEquidistant {
    fn forward(&self, p: LonLat) -> [f64; 2] {
        let (sin_lat, cos_lat) = p.lat.to_radians().sin_cos();
        let (sin_dlon, cos_dlon) = (p.lon - self.center.lon).to_radians().sin_cos();
        // Angular distance c from the center, via the haversine formula for accuracy near 0.
        let c = haversine_angle(self.center, p);
        let k = if c < 1e-12 { 1.0 } else { c / c.sin() };
        let x = EARTH_RADIUS_M * k * cos_lat * sin_dlon;
        let y = EARTH_RADIUS_M * k * (self.cos_lat0 * sin_lat - self.sin_lat0 * cos_lat * cos_dlon);
        [x, y]
    }

    fn inverse(&self, [x, y]: [f64; 2]) -> LonLat {
        let rho = x.hypot(y);
        if rho < 1e-9 {
            return self.center;
        }
        let c = rho / EARTH_RADIUS_M;
        let (sin_c, cos_c) = c.sin_cos();
        let lat = (cos_c * self.sin_lat0 + y * sin_c * self.cos_lat0 / rho)
            .clamp(-1.0, 1.0)
            .asin();
        let lon = self.center.lon.to_radians()
            + (x * sin_c).atan2(rho * self.cos_lat0 * cos_c - y * self.sin_lat0 * sin_c);
        let mut lon = lon.to_degrees();
        if lon > 180.0 {
            lon -= 360.0;
        } else if lon < -180.0 {
            lon += 360.0;
        }
        LonLat::new(lon, lat.to_degrees())
    }
}

/// Central angle between two points on the sphere, in radians.
fn haversine_angle(a: LonLat, b: LonLat) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * h.sqrt().min(1.0).asin()
}

/// Great-circle distance in metres on the mean-radius sphere.
pub fn haversine_m(a: LonLat, b: LonLat) -> f64 {
    EARTH_RADIUS_M * haversine_angle(a, b)
}

/// True for the CRS names that mean plain longitude/latitude (`EPSG:4326`, `WGS84`,
/// `OGC:CRS84`).
pub fn is_wgs84(crs: &str) -> bool {
    matches!(
        crs.trim().to_ascii_uppercase().as_str(),
        "EPSG:4326" | "WGS84" | "OGC:CRS84"
    )
}

/// Converts households read with projected coordinates (`x`, `y` in `crs`) to WGS 84
/// longitude/latitude in place. `EPSG:4326` (or `WGS84`) leaves them unchanged.
///
/// # Errors
/// [`crate::Error::ProjUnavailable`] without the `proj` feature for any other CRS;
/// [`crate::Error::Projection`] when PROJ rejects the CRS or a coordinate.
pub fn to_lonlat(crs: &str, households: &mut crate::Households) -> crate::Result<()> {
    convert(
        crs,
        households
            .items
            .iter_mut()
            .map(|h| (&mut h.position, h.line))
            .collect(),
    )
}

/// Converts applicants' proposed sites read with projected coordinates to WGS 84, as
/// [`to_lonlat`] does for households.
///
/// # Errors
/// As [`to_lonlat`].
pub fn applicants_to_lonlat(crs: &str, applicants: &mut crate::Applicants) -> crate::Result<()> {
    convert(
        crs,
        applicants
            .items
            .iter_mut()
            .flat_map(|a| a.proposals.iter_mut())
            .map(|p| (&mut p.position, p.line))
            .collect(),
    )
}

/// Converts `(position, input line)` pairs from `crs` to WGS 84 in place.
fn convert(crs: &str, points: Vec<(&mut LonLat, u64)>) -> crate::Result<()> {
    if is_wgs84(crs) {
        return Ok(());
    }
    proj_convert(crs, points)
}

#[cfg(not(feature = "proj"))]
fn proj_convert(crs: &str, _points: Vec<(&mut LonLat, u64)>) -> crate::Result<()> {
    Err(crate::Error::ProjUnavailable {
        crs: crs.to_string(),
    })
}

#[cfg(feature = "proj")]
fn proj_convert(crs: &str, points: Vec<(&mut LonLat, u64)>) -> crate::Result<()> {
    let err = |message: String| crate::Error::Projection {
        crs: crs.to_string(),
        message,
    };
    let pj = proj::Proj::new_known_crs(crs, "EPSG:4326", None).map_err(|e| err(e.to_string()))?;
    for (position, line) in points {
        let (lon, lat) = pj
            .convert((position.lon, position.lat))
            .map_err(|e| err(format!("line {line}: {e}")))?;
        if !(lon.is_finite() && lat.is_finite() && (-90.0..=90.0).contains(&lat)) {
            return Err(err(format!(
                "line {line}: ({}, {}) does not map to a valid longitude/latitude",
                position.lon, position.lat
            )));
        }
        *position = LonLat::new(lon, lat);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn round_trip(lon0 in -170.0f64..170.0, lat0 in -70.0f64..70.0,
                      dx in -3.0f64..3.0, dy in -2.5f64..2.5) {
            let p = AzimuthalEquidistant::new(LonLat::new(lon0, lat0));
            let q = LonLat::new(lon0 + dx, lat0 + dy);
            let back = p.inverse(p.forward(q));
            prop_assert!((back.lon - q.lon).abs() < 1e-8 && (back.lat - q.lat).abs() < 1e-8);
        }

        /// Any two points within 300 km of the center: planar distance within 0.5 % of the
        /// great-circle distance (in fact within 0.05 %).
        #[test]
        fn distance_error_within_300_km(lat0 in 25.0f64..40.0, lon0 in 44.0f64..63.0,
                                        b1 in 0.0f64..360.0, r1 in 0.0f64..300_000.0,
                                        b2 in 0.0f64..360.0, r2 in 0.0f64..300_000.0) {
            let p = AzimuthalEquidistant::new(LonLat::new(lon0, lat0));
            let a = [r1 * b1.to_radians().sin(), r1 * b1.to_radians().cos()];
            let b = [r2 * b2.to_radians().sin(), r2 * b2.to_radians().cos()];
            let planar = (a[0] - b[0]).hypot(a[1] - b[1]);
            let sphere = haversine_m(p.inverse(a), p.inverse(b));
            prop_assume!(sphere > 1.0);
            let err = (planar - sphere).abs() / sphere;
            prop_assert!(err < 0.0005, "relative error {err}");
        }
    }

    #[test]
    fn distance_from_center_is_exact() {
        let c = LonLat::new(50.0, 36.0);
        let p = AzimuthalEquidistant::new(c);
        let q = LonLat::new(51.7, 34.9);
        let [x, y] = p.forward(q);
        assert!((x.hypot(y) - haversine_m(c, q)).abs() < 1e-6);
    }
}

#[cfg(test)]
mod examples {
    use super::*;

    #[test]
    fn haversine_is_the_great_circle_distance() {
        let d = haversine_m(LonLat::new(51.389, 35.689), LonLat::new(50.004, 36.269));
        assert!((130_000.0..150_000.0).contains(&d)); // Tehran to Qazvin, about 140 km
    }
}
