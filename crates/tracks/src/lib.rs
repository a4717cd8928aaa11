//! Activity files and what they tell: reading GPX, TCX and FIT into a
//! [`Track`], and [`analyse`] for its statistics. Pure: no I/O beyond the
//! reader it is handed, no panics on any input.

mod error;
mod fit;
mod geo;
mod gpx;
mod model;
mod stats;
mod tcx;
mod write_gpx;
mod xml;

use std::io::BufRead;

pub use error::{Location, TrackError};
pub use model::{DeviceTotals, Point, Track};
pub use stats::{analyse, BestEffort, HeartRateZones, Options, Sample, Split, Summary, BEST_EFFORT_DISTANCES};
pub use write_gpx::write_gpx;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Gpx,
    Tcx,
    Fit,
}

impl Format {
    /// Recognises a file by its first bytes (a few hundred are enough), not by its name.
    pub fn sniff(head: &[u8]) -> Option<Format> {
        if head.len() >= 12 && &head[8..12] == b".FIT" {
            return Some(Format::Fit);
        }
        let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
        // The first element after the XML declaration, comments and the BOM.
        let mut rest = text.trim_start_matches('\u{feff}');
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix("<?").and_then(|r| r.split_once("?>")) {
                rest = after.1;
            } else if let Some(after) = rest.strip_prefix("<!--").and_then(|r| r.split_once("-->")) {
                rest = after.1;
            } else if let Some(after) = rest.strip_prefix("<!DOCTYPE").and_then(after_doctype) {
                rest = after;
            } else {
                break;
            }
        }
        let element = rest.strip_prefix('<')?;
        let name: String = element.chars().take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/').collect();
        match name.rsplit(':').next()? {
            "gpx" => Some(Format::Gpx),
            "TrainingCenterDatabase" => Some(Format::Tcx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Gpx => "gpx",
            Format::Tcx => "tcx",
            Format::Fit => "fit",
        }
    }
}

/// What follows a document type (from just after `<!DOCTYPE`): found as
/// the XML reader finds it.
fn after_doctype(rest: &str) -> Option<&str> {
    xml::doctype_end(rest.as_bytes()).map(|end| &rest[end + 1..])
}

/// The most points one file may hold: eleven days at one point a second.
/// A point costs about 100 bytes kept and as much again analysed, and a FIT
/// record can be 2 bytes long, so a size limit alone cannot bound memory;
/// this bounds one file to about 200 MB whatever its format.
pub const MAX_POINTS: usize = 1_000_000;

/// Refuses the point that would pass [`MAX_POINTS`].
pub(crate) fn within_point_limit(count: usize, at: impl FnOnce() -> Location) -> Result<(), TrackError> {
    if count <= MAX_POINTS {
        return Ok(());
    }
    Err(TrackError::BeyondLimits { at: at(), detail: format!("the file holds more than {MAX_POINTS} points") })
}

/// Reads a track in `format` from `source`. XML is read as a stream; a FIT
/// file is read into memory once, then decoded record by record. An error
/// from `source` ends the reading at once as [`TrackError::Io`], never as a
/// shorter track; a source that merely ends early is refused as
/// [`TrackError::Truncated`].
pub fn read(format: Format, mut source: impl BufRead) -> Result<Track, TrackError> {
    match format {
        Format::Fit => {
            let mut bytes = Vec::new();
            source.read_to_end(&mut bytes).map_err(|e| TrackError::Io(e.to_string()))?;
            fit::read(&bytes)
        }
        Format::Gpx => gpx::read(skip_bom(source)?),
        Format::Tcx => tcx::read(skip_bom(source)?),
    }
}

/// Recognises and reads a whole file held in memory.
pub fn read_bytes(bytes: &[u8]) -> Result<Track, TrackError> {
    let format = Format::sniff(bytes).ok_or(TrackError::UnknownFormat)?;
    read(format, bytes)
}

fn skip_bom<R: BufRead>(mut source: R) -> Result<R, TrackError> {
    let head = source.fill_buf().map_err(|e| TrackError::Io(e.to_string()))?;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        source.consume(3);
    }
    Ok(source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_may_hold_up_to_the_point_limit_and_no_more() {
        assert!(within_point_limit(MAX_POINTS, || Location::File).is_ok());
        let refused = within_point_limit(MAX_POINTS + 1, || Location::Byte(7)).unwrap_err();
        assert!(refused.to_string().contains("more than 1000000 points"), "{refused}");
    }
}
