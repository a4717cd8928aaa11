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
            Step::Open => match walk.name() {
                "Activity" if track.sport.is_none() => {
                    track.sport = walk.attribute("Sport").map(str::to_string);
                }
                "Trackpoint" => {
                    seen += 1;
                    crate::within_point_limit(seen, || walk.position())?;
                    point = Some(Point::default());
                }
                _ => {}
            },
            Step::Close => {
                let (name, text, at) = (walk.name(), walk.text(), walk.position());
                match (name, point.as_mut()) {
                    ("Trackpoint", Some(_)) => {
                        let p = point.take().unwrap();
                        check(&p, seen)?;
                        // An empty <Trackpoint/> tells nothing, and each 13
                        // bytes of them would cost a point's 100 of memory.
                        if p != Point::default() {
                            segment.push(p);
                        }
                    }
                    ("Track", _) => close_track(&mut segment, &mut track.segments),
                    (_, Some(p)) => fill(p, name, text, walk.parent(), at)?,
                    ("TotalTimeSeconds", None) if walk.parent() == Some("Lap") => {
                        *totals.timer_s.get_or_insert(0.0) += number(text, name, at)?;
                    }
                    ("DistanceMeters", None) if walk.parent() == Some("Lap") => {
                        *totals.distance_m.get_or_insert(0.0) += number(text, name, at)?;
                    }
                    ("Notes" | "Name", None) if track.name.is_none() && walk.within("Activity") => {
                        track.name = Some(text.to_string()).filter(|t| !t.is_empty());
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

/// Devices write a `<Track>` per lap: a track that starts within a minute of
/// where the one before ended goes on the same segment, so that lap
/// boundaries are not gaps; a longer pause is a gap, as in GPX.
fn close_track(track: &mut Vec<Point>, segments: &mut Vec<Vec<Point>>) {
    const CONTINUES_WITHIN_MS: i64 = 60_000;
    let ended = segments.last().and_then(|before| before.last()).and_then(|p| p.time);
    let starts = track.first().and_then(|p| p.time);
    match (segments.last_mut(), ended, starts) {
        (Some(before), Some(ended), Some(starts)) if (0..=CONTINUES_WITHIN_MS).contains(&(starts - ended)) => {
            before.append(track);
        }
        _ => close_segment(track, segments),
    }
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
