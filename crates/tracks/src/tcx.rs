//! TCX (Garmin Training Center): activities, their laps and tracks; each
//! <Track> a segment; lap totals kept as the device's totals.

use std::io::BufRead;

use crate::error::{Location, TrackError};
use crate::model::{close_segment, DeviceTotals, Point, Track};
use crate::xml::{number, time_ms, Step, XmlWalk};

pub fn read(source: impl BufRead) -> Result<Track, TrackError> {
    let mut walk = XmlWalk::new(source, "TrainingCenterDatabase");
    let mut track = Track::default();
    let mut totals = DeviceTotals::default();
    let mut segment: Vec<Point> = Vec::new();
    let mut point: Option<Point> = None;
    let mut seen = 0usize;
    loop {
        match walk.next()? {
            Step::Open { name, attributes } => match name.as_str() {
                "Activity" if track.sport.is_none() => {
                    track.sport = attributes.into_iter().find(|(k, _)| k == "Sport").map(|(_, v)| v);
                }
                "Trackpoint" => {
                    seen += 1;
                    crate::within_point_limit(seen, || walk.position())?;
                    point = Some(Point::default());
                }
                _ => {}
            },
            Step::Close { name, text } => {
                let at = walk.position();
                match (name.as_str(), point.as_mut()) {
                    ("Trackpoint", Some(_)) => {
                        let p = point.take().unwrap();
                        check(&p, seen)?;
                        // An empty <Trackpoint/> tells nothing, and each 13
                        // bytes of them would cost a point's 100 of memory.
                        if p != Point::default() {
                            segment.push(p);
                        }
                    }
                    ("Track", _) => close_segment(&mut segment, &mut track.segments),
                    (_, Some(p)) => fill(p, &name, &text, walk.parent(), at)?,
                    ("TotalTimeSeconds", None) if walk.parent() == Some("Lap") => {
                        *totals.timer_s.get_or_insert(0.0) += number(&text, &name, at)?;
                    }
                    ("DistanceMeters", None) if walk.parent() == Some("Lap") => {
                        *totals.distance_m.get_or_insert(0.0) += number(&text, &name, at)?;
                    }
                    ("Notes" | "Name", None) if track.name.is_none() && walk.within("Activity") => {
                        track.name = Some(text).filter(|t| !t.is_empty());
                    }
                    _ => {}
                }
            }
            Step::End => break,
        }
    }
    if track.segments.is_empty() {
        return Err(TrackError::NoPoints);
    }
    if totals != DeviceTotals::default() {
        track.device_totals = Some(totals);
    }
    Ok(track)
}

fn check(point: &Point, n: usize) -> Result<(), TrackError> {
    let beyond = |what: &str, v: f64, limit: f64| TrackError::OutOfRange {
        at: Location::Point(n),
        detail: format!("{what} {v} is beyond ±{limit}"),
    };
    match point.position() {
        Some((lat, _)) if lat.abs() > 90.0 => Err(beyond("latitude", lat, 90.0)),
        Some((_, lon)) if lon.abs() > 180.0 => Err(beyond("longitude", lon, 180.0)),
        _ => Ok(()),
    }
}

fn fill(point: &mut Point, name: &str, text: &str, parent: Option<&str>, at: Location) -> Result<(), TrackError> {
    if text.is_empty() {
        return Ok(());
    }
    match (name, parent) {
        ("Time", _) => {
            point.time = Some(
                time_ms(text).ok_or_else(|| TrackError::malformed(at, format!("<Time> holds `{text}`, not a time")))?,
            )
        }
        ("LatitudeDegrees", _) => point.lat = Some(number(text, name, at)?),
        ("LongitudeDegrees", _) => point.lon = Some(number(text, name, at)?),
        ("AltitudeMeters", _) => point.elevation = Some(number(text, name, at)?),
        ("DistanceMeters", _) => point.distance = Some(number(text, name, at)?),
        ("Value", Some("HeartRateBpm")) => point.heart_rate = Some(number(text, name, at)? as u16),
        ("Cadence" | "RunCadence", _) => point.cadence = Some(number(text, name, at)? as u16),
        ("Watts", _) => point.power = Some(number(text, name, at)? as u16),
        _ => {}
    }
    Ok(())
}
