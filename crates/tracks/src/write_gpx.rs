//! Writing a track as GPX 1.1, heart rate and cadence in Garmin's
//! TrackPointExtension (what most apps read), power as a plain `<power>`.

use std::io::{self, Write};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::model::{Point, Track};

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="Athlos" xmlns="http://www.topografix.com/GPX/1/1" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
"#;

/// Writes `track` to `out`. Points without a position are left out: GPX has no place for them.
pub fn write_gpx(track: &Track, mut out: impl Write) -> io::Result<()> {
    out.write_all(HEADER.as_bytes())?;
    writeln!(out, "<trk>")?;
    if let Some(name) = &track.name {
        writeln!(out, "<name>{}</name>", escape(name))?;
    }
    if let Some(sport) = &track.sport {
        writeln!(out, "<type>{}</type>", escape(sport))?;
    }
    for segment in &track.segments {
        writeln!(out, "<trkseg>")?;
        for point in segment {
            write_point(point, &mut out)?;
        }
        writeln!(out, "</trkseg>")?;
    }
    writeln!(out, "</trk>\n</gpx>")
}

fn write_point(point: &Point, out: &mut impl Write) -> io::Result<()> {
    let Some((lat, lon)) = point.position() else { return Ok(()) };
    write!(out, r#"<trkpt lat="{lat:.7}" lon="{lon:.7}">"#)?;
    if let Some(elevation) = point.elevation {
        write!(out, "<ele>{elevation:.1}</ele>")?;
    }
    if let Some(time) = point.time.and_then(format_time) {
        write!(out, "<time>{time}</time>")?;
    }
    if point.heart_rate.is_some() || point.cadence.is_some() || point.power.is_some() {
        write!(out, "<extensions>")?;
        if let Some(power) = point.power {
            write!(out, "<power>{power}</power>")?;
        }
        if point.heart_rate.is_some() || point.cadence.is_some() {
            write!(out, "<gpxtpx:TrackPointExtension>")?;
            if let Some(hr) = point.heart_rate {
                write!(out, "<gpxtpx:hr>{hr}</gpxtpx:hr>")?;
            }
            if let Some(cadence) = point.cadence {
                write!(out, "<gpxtpx:cad>{cadence}</gpxtpx:cad>")?;
            }
            write!(out, "</gpxtpx:TrackPointExtension>")?;
        }
        write!(out, "</extensions>")?;
    }
    writeln!(out, "</trkpt>")
}

fn format_time(ms: i64) -> Option<String> {
    let at = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    at.format(&Rfc3339).ok()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
