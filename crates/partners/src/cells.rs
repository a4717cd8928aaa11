//! Geohash cells: where people are, as coarsely as the finder needs. A cell
//! of 5 characters is about 4.9 × 4.9 km; the distance between two people is
//! the distance between their cells' centres, and what anyone is shown is
//! that distance rounded up to 5 km.

const BASE32: &[u8; 32] = b"0123456789bcdefghjkmnpqrstuvwxyz";
/// The precision people's cells are stored at.
pub const PRECISION: usize = 5;
/// How distances are shown: rounded up to a multiple of this.
pub const SHOWN_STEP_KM: u32 = 5;
const EARTH_RADIUS_KM: f64 = 6371.0;
const KM_PER_DEGREE: f64 = 111.195;

/// A geohash, checked and made `PRECISION` long: cut when longer, the cell
/// at its centre when shorter; none when it is not one or is too coarse
/// (under 4 characters) to place someone.
pub fn normalise(text: &str) -> Option<String> {
    let text = text.trim().to_ascii_lowercase();
    if text.len() < 4 || !text.bytes().all(|b| BASE32.contains(&b)) {
        return None;
    }
    if text.len() >= PRECISION {
        return Some(text[..PRECISION].to_string());
    }
    // A coarser area: the cell at its centre stands for it.
    let (lat, lon) = centre(&text)?;
    Some(encode(lat, lon, PRECISION))
}

/// The box a cell covers: (south, west, north, east) in degrees.
fn bounds(cell: &str) -> Option<(f64, f64, f64, f64)> {
    let (mut lat, mut lon) = ((-90.0, 90.0), (-180.0, 180.0));
    let mut even = true;
    for b in cell.bytes() {
        let value = BASE32.iter().position(|&c| c == b)?;
        for bit in (0..5).rev() {
            let range: &mut (f64, f64) = if even { &mut lon } else { &mut lat };
            let mid = (range.0 + range.1) / 2.0;
            if value >> bit & 1 == 1 {
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            even = !even;
        }
    }
    Some((lat.0, lon.0, lat.1, lon.1))
}

/// A cell's centre, (lat, lon).
pub fn centre(cell: &str) -> Option<(f64, f64)> {
    let (s, w, n, e) = bounds(cell)?;
    Some(((s + n) / 2.0, (w + e) / 2.0))
}

pub fn encode(lat: f64, lon: f64, precision: usize) -> String {
    let (mut la, mut lo) = ((-90.0, 90.0), (-180.0, 180.0));
    let mut out = String::with_capacity(precision);
    let mut even = true;
    while out.len() < precision {
        let mut value = 0usize;
        for _ in 0..5 {
            let (range, x): (&mut (f64, f64), f64) = if even { (&mut lo, lon) } else { (&mut la, lat) };
            let mid = (range.0 + range.1) / 2.0;
            value <<= 1;
            if x >= mid {
                value |= 1;
                range.0 = mid;
            } else {
                range.1 = mid;
            }
            even = !even;
        }
        out.push(BASE32[value] as char);
    }
    out
}

/// Great-circle distance between two cells' centres, in km.
pub fn distance_km(a: &str, b: &str) -> Option<f64> {
    let ((la1, lo1), (la2, lo2)) = (centre(a)?, centre(b)?);
    let (p1, p2) = (la1.to_radians(), la2.to_radians());
    let (dp, dl) = ((la2 - la1).to_radians(), (lo2 - lo1).to_radians());
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    Some(2.0 * EARTH_RADIUS_KM * h.sqrt().asin())
}

/// What a person is shown of a distance: rounded up to 5 km, at least 5.
pub fn shown_km(km: f64) -> u32 {
    let steps = (km / SHOWN_STEP_KM as f64).ceil().max(1.0) as u32;
    steps * SHOWN_STEP_KM
}

/// The cells that together hold everyone whose cell centre lies within
/// `radius_km` of `cell`'s centre, as `(precision, cells)`: the cells of 5
/// characters (about 5 km) over the circle's bounding box for a radius up
/// to 10 km, of 4 characters (about 39 × 20 km) for wider ones. So a deck
/// reads the people near enough and few others.
pub fn covering(cell: &str, radius_km: f64) -> Option<(usize, Vec<String>)> {
    let (lat, lon) = centre(cell)?;
    let precision = if radius_km <= 10.0 { 5 } else { 4 };
    let (s, w, n, e) = bounds(cell.get(..precision)?)?;
    let (dlat, dlon) = (n - s, e - w);
    // The box's width measured where the circle is nearest the pole.
    let reach_lat = radius_km / KM_PER_DEGREE;
    let cos = (lat.abs() + reach_lat).min(89.0).to_radians().cos();
    let reach_lon = (radius_km / (KM_PER_DEGREE * cos)).min(180.0);
    let (rows, columns) = ((2.0 * reach_lat / dlat).ceil() as i64, (2.0 * reach_lon / dlon).ceil() as i64);
    let mut cells = Vec::new();
    for i in 0..=rows {
        let la = (lat - reach_lat + i as f64 * dlat).min(lat + reach_lat);
        if !(-90.0..=90.0).contains(&la) {
            continue;
        }
        for j in 0..=columns {
            let lo = (lon - reach_lon + j as f64 * dlon).min(lon + reach_lon);
            let c = encode(la, (lo + 540.0).rem_euclid(360.0) - 180.0, precision);
            if !cells.contains(&c) {
                cells.push(c);
            }
        }
    }
    Some((precision, cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_checked_and_cut() {
        assert_eq!(normalise(" U33DBFCY "), Some("u33db".into()));
        let coarse = normalise("u33d").unwrap();
        assert_eq!((coarse.len(), &coarse[..4]), (5, "u33d"), "a coarser area is its centre cell");
        assert_eq!(normalise("u33"), None);
        assert_eq!(normalise("u33a1"), None, "a is not in the alphabet");
    }

    #[test]
    fn encoding_and_centres_agree() {
        assert_eq!(encode(57.64911, 10.40744, 11), "u4pruydqqvj");
        let berlin = encode(52.5200, 13.4050, 5);
        let (lat, lon) = centre(&berlin).unwrap();
        assert!((lat - 52.52).abs() < 0.03 && (lon - 13.405).abs() < 0.03, "{lat} {lon}");
    }

    #[test]
    fn distances_are_between_centres_and_shown_rounded_up() {
        let a = encode(52.52, 13.40, 5);
        let b = encode(52.52, 13.70, 5); // about 20 km east
        let km = distance_km(&a, &b).unwrap();
        assert!((15.0..25.0).contains(&km), "{km}");
        assert_eq!(shown_km(0.0), 5);
        assert_eq!(shown_km(5.0), 5);
        assert_eq!(shown_km(5.1), 10);
        assert_eq!(shown_km(km) % SHOWN_STEP_KM, 0);
    }

    /// Whoever is within the radius is in one of the cells `covering`
    /// names, at every radius and in the far north, where cells are narrow;
    /// and there are not many of them.
    #[test]
    fn covering_holds_everyone_within_the_radius() {
        for (lat, lon) in [(52.52, 13.40), (69.65, 18.95), (-33.9, 151.2), (0.1, 179.9)] {
            let me = encode(lat, lon, 5);
            for radius in [1.0, 10.0, 19.0, 20.0, 50.0, 100.0] {
                let (precision, cells) = covering(&me, radius).unwrap();
                assert!(cells.len() <= 200, "{} cells at {radius} km", cells.len());
                for step in 0..72 {
                    let bearing = (step as f64 * 5.0).to_radians();
                    for fraction in [0.3, 0.7, 0.99] {
                        let d = radius * fraction / KM_PER_DEGREE;
                        let (la, lo) = (lat + d * bearing.cos(), lon + d * bearing.sin() / lat.to_radians().cos());
                        let lo = (lo + 540.0).rem_euclid(360.0) - 180.0;
                        let them = encode(la, lo, 5);
                        if distance_km(&me, &them).unwrap() > radius {
                            continue;
                        }
                        assert!(
                            cells.contains(&them[..precision].to_string()),
                            "{them} at {radius} km of {me} is outside {cells:?}"
                        );
                    }
                }
            }
        }
    }
}
