//! GPX 1.0 and 1.1: tracks (each segment a segment), or routes when a file
//! has no track; heart rate, cadence, temperature and power from the Garmin
//! TrackPointExtension, Cluetrust and similar extensions, by element name.

use std::io::BufRead;

use crate::error::{Location, TrackError};
use crate::model::{close_segment, Point, Track};
use crate::xml::{number, time_ms, Step, XmlWalk};

pub fn read(source: impl BufRead) -> Result<Track, TrackError> {
    let mut walk = XmlWalk::new(source, "gpx");
    let mut track = Track::default();
    let mut routes: Vec<Vec<Point>> = Vec::new();
    let mut segment: Vec<Point> = Vec::new();
    let mut point: Option<Point> = None;
    let mut seen = 0usize;
    loop {
        match walk.next()? {
            Step::Open => {
                if matches!(walk.name(), "trkpt" | "rtept") {
                    seen += 1;
                    crate::within_point_limit(seen, || walk.position())?;
                    point = Some(position(&walk, seen)?);
                }
            }
            Step::Close => match walk.name() {
                "trkpt" | "rtept" => {
                    if let Some(p) = point.take() {
                        segment.push(p);
                    }
                }
                "trkseg" => close_segment(&mut segment, &mut track.segments),
                "rte" => close_segment(&mut segment, &mut routes),
                // A track without <trkseg> (seen in GPX 1.0 writers) still ends here.
                "trk" => close_segment(&mut segment, &mut track.segments),
                name if point.is_some() => fill(point.as_mut().unwrap(), name, walk.text(), walk.position())?,
                "name" if track.name.is_none() && matches!(walk.parent(), Some("trk" | "metadata" | "gpx")) => {
                    track.name = Some(walk.text().to_string()).filter(|t| !t.is_empty());
                }
                "type" if track.sport.is_none() && walk.parent() == Some("trk") => {
                    track.sport = Some(walk.text().to_string()).filter(|t| !t.is_empty());
                }
                _ => {}
            },
            Step::End => break,
        }
    }
    if track.segments.is_empty() {
        track.segments = routes;
    }
    if track.segments.is_empty() {
        return Err(TrackError::NoPoints);
    }
    Ok(track)
}

fn position(walk: &XmlWalk<impl BufRead>, n: usize) -> Result<Point, TrackError> {
    let at = || Location::Point(n);
    let coordinate = |key: &str, limit: f64| -> Result<f64, TrackError> {
        let text =
            walk.attribute(key).ok_or_else(|| TrackError::malformed(at(), format!("the point has no `{key}`")))?;
        let value = number(text, key, at())?;
        if value.abs() > limit {
            return Err(TrackError::OutOfRange { at: at(), detail: format!("{key} {value} is beyond ±{limit}") });
        }
        Ok(value)
    };
    Ok(Point { lat: Some(coordinate("lat", 90.0)?), lon: Some(coordinate("lon", 180.0)?), ..Point::default() })
}

/// Reads one child element of a point, by its local name.
fn fill(point: &mut Point, name: &str, text: &str, at: Location) -> Result<(), TrackError> {
    if text.is_empty() {
        return Ok(());
    }
    match name {
        "ele" => point.elevation = Some(number(text, name, at)?),
        "time" => {
            point.time = Some(
                time_ms(text).ok_or_else(|| TrackError::malformed(at, format!("<time> holds `{text}`, not a time")))?,
            )
        }
        "hr" | "heartrate" => point.heart_rate = Some(number(text, name, at)? as u16),
        "cad" | "cadence" => point.cadence = Some(number(text, name, at)? as u16),
        "power" | "watts" | "PowerInWatts" => point.power = Some(number(text, name, at)? as u16),
        "atemp" | "temp" | "temperature" => point.temperature = Some(number(text, name, at)? as f32),
        _ => {}
    }
    Ok(())
}
