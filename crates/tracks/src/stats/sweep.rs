//! One pass over the points for everything the statistics take from them
//! directly. A long track's points fill far more memory than a cache holds,
//! so each further pass over them would cost as much again as the reading.

use super::sensors::{self, Readings};
use super::Bounds;
use crate::model::Track;

pub struct Sweep {
    pub points: usize,
    /// Points carrying the device's own distance.
    pub with_device_distance: usize,
    /// The earliest and latest times: a file's clock may step back (a GPS fix correcting it).
    pub start_time: Option<i64>,
    pub end_time: Option<i64>,
    pub bounds: Option<Bounds>,
    /// The first position.
    pub start: Option<[f64; 2]>,
    pub readings: Readings,
    /// Each segment's elevations.
    pub elevations: Vec<Vec<f64>>,
    /// Each segment's positions.
    pub lines: Vec<Vec<(f64, f64)>>,
}

impl Sweep {
    pub fn of(track: &Track, max_heart_rate: u16) -> Sweep {
        let mut sweep = Sweep {
            points: 0,
            with_device_distance: 0,
            start_time: None,
            end_time: None,
            bounds: None,
            start: None,
            readings: Readings::default(),
            elevations: Vec::with_capacity(track.segments.len()),
            lines: Vec::with_capacity(track.segments.len()),
        };
        // Each reading counts until the next point, across segments too.
        let mut next_points = track.points().skip(1);
        for segment in &track.segments {
            // Sized at once: growing a long track's by doubling copies it over and over.
            let mut elevations = Vec::with_capacity(segment.len());
            let mut line = Vec::with_capacity(segment.len());
            for point in segment {
                sweep.points += 1;
                sweep.with_device_distance += usize::from(point.distance.is_some());
                if let Some(time) = point.time {
                    sweep.start_time = Some(sweep.start_time.map_or(time, |t| t.min(time)));
                    sweep.end_time = Some(sweep.end_time.map_or(time, |t| t.max(time)));
                }
                if let Some(position) = point.position() {
                    sweep.add_position(position);
                    line.push(position);
                }
                elevations.extend(point.elevation);
                sweep.readings.add(point, sensors::weight(point, next_points.next()), max_heart_rate);
            }
            sweep.elevations.push(elevations);
            sweep.lines.push(line);
        }
        sweep
    }

    fn add_position(&mut self, (lat, lon): (f64, f64)) {
        let b = self.bounds.get_or_insert(Bounds { min_lat: lat, min_lon: lon, max_lat: lat, max_lon: lon });
        b.min_lat = b.min_lat.min(lat);
        b.max_lat = b.max_lat.max(lat);
        b.min_lon = b.min_lon.min(lon);
        b.max_lon = b.max_lon.max(lon);
        self.start.get_or_insert([lat, lon]);
    }
}
