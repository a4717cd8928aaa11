//! Distances on the WGS 84 ellipsoid, and a local flat projection for
//! simplifying a track's shape.

use geographiclib_rs::{Geodesic, InverseGeodesic};

/// The geodesic distance in metres between two positions (Karney's method:
/// exact to nanometres, unlike the spherical haversine, which errs by up to 0.5 %).
pub fn distance(geodesic: &Geodesic, a: (f64, f64), b: (f64, f64)) -> f64 {
    if a == b {
        return 0.0;
    }
    let s12: f64 = geodesic.inverse(a.0, a.1, b.0, b.1);
    s12
}

/// Metres east and north of `origin`: precise enough over a track's extent
/// for deciding which points a map can leave out.
pub fn flat(origin: (f64, f64), p: (f64, f64)) -> (f64, f64) {
    const METRES_PER_DEGREE: f64 = 111_320.0;
    let x = (p.1 - origin.1) * METRES_PER_DEGREE * origin.0.to_radians().cos();
    let y = (p.0 - origin.0) * METRES_PER_DEGREE;
    (x, y)
}
