//! Every statistic on small hand-made tracks whose answers are known.

use tracks::{analyse, Options, Point, Sample, Track, TrackError};

/// Metres along the equator per degree of longitude: the WGS 84 equatorial
/// radius times π/180, exact for a geodesic along the equator.
const METRES_PER_DEGREE: f64 = 6_378_137.0 * std::f64::consts::PI / 180.0;
const START_MS: i64 = 1_700_000_000_000;

/// A point `metres` east of (0°, 0°) at `seconds` after the start.
fn at(metres: f64, seconds: f64) -> Point {
    Point {
        lat: Some(0.0),
        lon: Some(metres / METRES_PER_DEGREE),
        time: Some(START_MS + (seconds * 1000.0).round() as i64),
        ..Point::default()
    }
}

fn track(points: Vec<Point>) -> Track {
    Track { segments: vec![points], ..Track::default() }
}

/// 10 km at a steady 5 m/s, a point every 10 m (2 s).
fn steady_10k() -> Track {
    track((0..=1000).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect())
}

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} is not within {tolerance} of {expected}");
}

#[test]
fn distance_time_speed_and_pace_of_a_steady_run() {
    let s = analyse(&steady_10k(), &Options::default());
    close(s.distance_m, 10_000.0, 0.01);
    assert_eq!((s.elapsed_s, s.moving_s), (2000.0, 2000.0));
    close(s.average_speed_mps.unwrap(), 5.0, 1e-6);
    close(s.max_speed_mps.unwrap(), 5.0, 1e-6);
    close(s.average_pace_s_per_km.unwrap(), 200.0, 1e-3);
    assert_eq!(s.start, Some([0.0, 0.0]));
    let b = s.bounds.unwrap();
    close(b.max_lon, 10_000.0 / METRES_PER_DEGREE, 1e-12);
    assert_eq!((b.min_lat, b.max_lat, b.min_lon), (0.0, 0.0, 0.0));
}

#[test]
fn splits_per_kilometre_and_per_mile() {
    let s = analyse(&steady_10k(), &Options::default());
    assert_eq!(s.splits_km.len(), 10);
    for split in &s.splits_km {
        close(split.distance_m, 1000.0, 1e-6);
        close(split.seconds.unwrap(), 200.0, 1e-6);
    }
    // 10 km is 6 whole miles and 0.2137 of a seventh.
    assert_eq!(s.splits_mile.len(), 7);
    close(s.splits_mile[0].seconds.unwrap(), 1609.344 / 5.0, 1e-6);
    close(s.splits_mile[6].distance_m, 10_000.0 - 6.0 * 1609.344, 1e-6);
}

#[test]
fn best_efforts_find_the_fastest_stretch_inside_the_track() {
    // 2 km at 4 m/s, then 1 km at 10 m/s, then 2 km at 4 m/s.
    let mut points = Vec::new();
    let (mut d, mut t) = (0.0, 0.0);
    points.push(at(d, t));
    for speed in
        std::iter::repeat_n(4.0, 200).chain(std::iter::repeat_n(10.0, 100)).chain(std::iter::repeat_n(4.0, 200))
    {
        d += 10.0;
        t += 10.0 / speed;
        points.push(at(d, t));
    }
    let s = analyse(&track(points), &Options::default());
    let effort = |m: f64| s.best_efforts.iter().find(|e| e.distance_m == m).unwrap().clone();
    close(effort(400.0).seconds, 40.0, 1e-6);
    close(effort(1000.0).seconds, 100.0, 1e-6);
    close(effort(1000.0).starts_at_m, 2000.0, 1e-6);
    // The mile takes the fast kilometre and 609.344 m at 4 m/s.
    close(effort(1609.344).seconds, 100.0 + 609.344 / 4.0, 1e-6);
    assert!(s.best_efforts.iter().all(|e| e.distance_m <= 5000.0), "no 10 km effort in a 5 km track");
    close(s.max_speed_mps.unwrap(), 10.0, 1e-6);
}

#[test]
fn a_pause_counts_in_elapsed_time_only() {
    let mut points: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    // Standing at 1 km for five minutes, then on for another kilometre.
    points.extend((0..=100).map(|i| at(1000.0 + i as f64 * 10.0, 500.0 + i as f64 * 2.0)));
    let s = analyse(&track(points), &Options::default());
    assert_eq!(s.elapsed_s, 700.0);
    assert_eq!(s.moving_s, 400.0);
    close(s.average_speed_mps.unwrap(), 5.0, 1e-6);
    // The kilometre split with the pause in it shows it.
    assert_eq!(s.splits_km.len(), 2, "{:?}", s.splits_km);
    close(s.splits_km[1].seconds.unwrap(), 500.0, 1e-6);
}

#[test]
fn no_distance_is_counted_across_a_gap_between_segments() {
    let first: Vec<Point> = (0..=10).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    let second: Vec<Point> = (0..=10).map(|i| at(5000.0 + i as f64 * 10.0, 100.0 + i as f64 * 2.0)).collect();
    let s = analyse(&Track { segments: vec![first, second], ..Track::default() }, &Options::default());
    close(s.distance_m, 200.0, 1e-6);
    assert_eq!((s.elapsed_s, s.moving_s), (120.0, 40.0));
}

fn with_elevations(elevations: impl IntoIterator<Item = f64>) -> Track {
    track(
        elevations
            .into_iter()
            .enumerate()
            .map(|(i, e)| Point { elevation: Some(e), ..at(i as f64 * 10.0, i as f64 * 2.0) })
            .collect(),
    )
}

#[test]
fn elevation_gain_ignores_jitter_and_counts_real_climbs() {
    // Flat ground seen by a jittery GPS: ±1 m around 200 m.
    let flat =
        analyse(&with_elevations((0..500).map(|i| 200.0 + if i % 2 == 0 { 1.0 } else { -1.0 })), &Options::default());
    assert_eq!((flat.elevation.unwrap().gain_m, flat.elevation.unwrap().loss_m), (0.0, 0.0));

    // Up 100 m in 1 m steps, down 40 m, up 10 m again, level for a few points at each turn.
    let level = |e: f64| std::iter::repeat_n(e, 3);
    let profile = (0..=100)
        .map(f64::from)
        .chain(level(100.0))
        .chain((1..=40).map(|i| 100.0 - i as f64))
        .chain(level(60.0))
        .chain((1..=10).map(|i| 60.0 + i as f64))
        .chain(level(70.0));
    let e = analyse(&with_elevations(profile), &Options::default()).elevation.unwrap();
    assert_eq!((e.gain_m, e.loss_m, e.min_m, e.max_m), (110.0, 40.0, 0.0, 100.0));

    // One wild spike is removed by the median.
    let spike = analyse(&with_elevations([10.0, 10.0, 10.0, 60.0, 10.0, 10.0, 10.0]), &Options::default());
    assert_eq!(spike.elevation.unwrap().gain_m, 0.0);
}

#[test]
fn heart_rate_average_maximum_and_zones_are_weighted_by_time() {
    // 100 s at 100 bpm, then 100 s at 180 bpm, a reading every 2 s; maximum 200.
    let points = (0..=100)
        .map(|i| Point { heart_rate: Some(if i < 50 { 100 } else { 180 }), ..at(i as f64 * 10.0, i as f64 * 2.0) })
        .collect();
    let s = analyse(&track(points), &Options { max_heart_rate: 200, ..Options::default() });
    let hr = s.heart_rate.unwrap();
    assert_eq!(hr.max, 180);
    // The last reading counts one second: (50·2·100 + 50·2·180 + 1·180) / 201.
    close(hr.average, (10_000.0 + 18_000.0 + 180.0) / 201.0, 1e-9);
    assert_eq!(hr.seconds_in_zones, [100.0, 0.0, 0.0, 0.0, 101.0]);
}

#[test]
fn cadence_leaves_out_zeros_and_power_keeps_them() {
    let points = (0..=4)
        .map(|i| Point {
            cadence: Some([90, 0, 90, 0, 90][i]),
            power: Some([200, 0, 200, 0, 200][i]),
            ..at(i as f64 * 10.0, i as f64 * 2.0)
        })
        .collect();
    let s = analyse(&track(points), &Options::default());
    assert_eq!(s.cadence.unwrap().average, 90.0);
    // Weights 2, 2, 2, 2, 1 seconds: (2·200 + 2·200 + 1·200) / 9.
    close(s.power.unwrap().average, 1000.0 / 9.0, 1e-9);
    assert_eq!(s.power.unwrap().max, 200);
}

#[test]
fn the_shape_keeps_corners_and_drops_points_on_straight_lines() {
    // An L: 1 km east, then 1 km north, a point every 10 m.
    let mut points: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64)).collect();
    points.extend((1..=100).map(|i| Point { lat: Some(i as f64 * 10.0 / 110_574.0), ..at(1000.0, 100.0 + i as f64) }));
    let s = analyse(&track(points), &Options::default());
    assert_eq!(s.shape.len(), 3, "{:?}", s.shape);
    assert_eq!(s.shape[0], Some([0.0, 0.0]));
    close(s.shape[1].unwrap()[1], 1000.0 / METRES_PER_DEGREE, 1e-12);

    let winding: Vec<Point> = (0..5000)
        .map(|i| Point { lat: Some((i as f64 / 50.0).sin() * 0.01), ..at(i as f64 * 10.0, i as f64) })
        .collect();
    let shape = analyse(&track(winding), &Options { shape_points: 300, ..Options::default() }).shape;
    assert!(shape.len() <= 300 && shape.len() > 50, "{}", shape.len());
}

#[test]
fn an_indoor_session_takes_the_devices_distance() {
    let points = (0..=60)
        .map(|i| Point { distance: Some(i as f64 * 8.0), time: Some(START_MS + i * 1000), ..Point::default() })
        .collect();
    let s = analyse(&track(points), &Options::default());
    assert_eq!((s.distance_m, s.elapsed_s, s.moving_s), (480.0, 60.0, 60.0));
    assert!(s.shape.is_empty() && s.bounds.is_none() && s.start.is_none());
}

/// A point `metres` east of (0°, 0°) whose time is not known.
fn untimed(metres: f64) -> Point {
    Point { time: None, ..at(metres, 0.0) }
}

#[test]
fn a_track_without_times_has_a_distance_and_is_no_recording() {
    let route = track((0..=10).map(|i| untimed(i as f64 * 100.0)).collect());
    let s = analyse(&route, &Options::default());
    close(s.distance_m, 1000.0, 1e-6);
    assert_eq!((s.timed_distance_m, s.elapsed_s, s.moving_s, s.average_speed_mps), (0.0, 0.0, 0.0, None));
    // Its one kilometre is a split, with no time.
    assert_eq!(s.splits_km.len(), 1);
    assert_eq!(s.splits_km[0].seconds, None);
    assert!(s.best_efforts.is_empty() && s.max_speed_mps.is_none());
    assert!(s.series.iter().flatten().all(|sample| sample.speed_mps.is_none()));
    assert_eq!(route.check_recorded(), Err(TrackError::NoTimes));
    assert!(TrackError::NoTimes.to_string().contains("no times"));

    // One time alone tells no duration either; two do.
    let mut once = route.clone();
    once.segments[0][3].time = Some(START_MS);
    assert_eq!(once.check_recorded(), Err(TrackError::NoTimes));
    once.segments[0][7].time = Some(START_MS + 60_000);
    assert_eq!(once.check_recorded(), Ok(()));
}

#[test]
fn speeds_and_moving_time_come_only_from_timed_stretches() {
    // 4 km whose times were lost, then 1 km at 5 m/s: the timed kilometre
    // alone tells the speed, not 5 km over its 200 s.
    let mut points: Vec<Point> = (0..400).map(|i| untimed(i as f64 * 10.0)).collect();
    points.extend((0..=100).map(|i| at(4000.0 + i as f64 * 10.0, i as f64 * 2.0)));
    let s = analyse(&track(points), &Options { series_points: 1000, ..Options::default() });
    close(s.distance_m, 5000.0, 1e-6);
    close(s.timed_distance_m, 1000.0, 1e-6);
    assert_eq!((s.elapsed_s, s.moving_s), (200.0, 200.0));
    close(s.average_speed_mps.unwrap(), 5.0, 1e-6);
    close(s.average_pace_s_per_km.unwrap(), 200.0, 1e-3);
    close(s.max_speed_mps.unwrap(), 5.0, 1e-6);
    // The stretch from the last untimed point to the first timed one has no speed on the chart.
    let speeds: Vec<Option<f64>> = s.series.iter().flatten().map(|sample| sample.speed_mps).collect();
    assert!(speeds[..400].iter().all(Option::is_none), "{speeds:?}");
    for speed in &speeds[400..] {
        close(speed.unwrap(), 5.0, 1e-6);
    }
}

#[test]
fn splits_cover_the_whole_distance_and_untimed_ones_have_no_time() {
    // 2.5 km untimed, then 2.5 km at 5 m/s.
    let mut points: Vec<Point> = (0..250).map(|i| untimed(i as f64 * 10.0)).collect();
    points.extend((0..=250).map(|i| at(2500.0 + i as f64 * 10.0, i as f64 * 2.0)));
    let s = analyse(&track(points), &Options::default());
    let seconds: Vec<Option<f64>> = s.splits_km.iter().map(|split| split.seconds.map(f64::round)).collect();
    // The third kilometre is half untimed: its time would be a guess.
    assert_eq!(seconds, [None, None, None, Some(200.0), Some(200.0)]);
    close(s.splits_km.iter().map(|split| split.distance_m).sum(), 5000.0, 1e-6);
    assert_eq!(s.splits_mile.len(), 4);
    // Best efforts only inside the timed part.
    assert!(s.best_efforts.iter().all(|e| e.distance_m <= 2500.0 && e.starts_at_m >= 2500.0 - 1e-6));
    close(s.best_efforts.iter().find(|e| e.distance_m == 1000.0).unwrap().seconds, 200.0, 1e-6);
}

#[test]
fn an_untimed_point_breaks_the_timed_stretch_around_it() {
    // 1 km at 5 m/s, a point without time 1 km further on, then 1 km at
    // 5 m/s starting an hour later: the kilometre around the untimed point
    // has neither time nor speed, and no effort is timed across it.
    let mut points: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    points.push(untimed(2000.0));
    points.extend((0..=100).map(|i| at(3000.0 + i as f64 * 10.0, 3600.0 + i as f64 * 2.0)));
    let s = analyse(&track(points), &Options::default());
    close(s.distance_m, 4000.0, 1e-6);
    close(s.timed_distance_m, 2000.0, 1e-6);
    assert_eq!(s.moving_s, 400.0);
    close(s.average_speed_mps.unwrap(), 5.0, 1e-6);
    assert_eq!(s.elapsed_s, 3800.0);
    let seconds: Vec<Option<f64>> = s.splits_km.iter().map(|split| split.seconds.map(f64::round)).collect();
    assert_eq!(seconds, [Some(200.0), None, None, Some(200.0)]);
    assert!(s.best_efforts.iter().all(|e| e.distance_m <= 1000.0), "{:?}", s.best_efforts);
}

#[test]
fn no_time_is_counted_across_a_gap_between_segments() {
    // 1 km at 5 m/s, the recording stopped for five minutes, 1 km more at 5 m/s.
    let first: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    let second: Vec<Point> = (0..=100).map(|i| at(1000.0 + i as f64 * 10.0, 500.0 + i as f64 * 2.0)).collect();
    let s = analyse(&Track { segments: vec![first, second], ..Track::default() }, &Options::default());
    assert_eq!((s.elapsed_s, s.moving_s), (700.0, 400.0));
    let seconds: Vec<f64> = s.splits_km.iter().map(|split| split.seconds.unwrap()).collect();
    assert_eq!(seconds.len(), 2);
    close(seconds[0], 200.0, 1e-6);
    close(seconds[1], 200.0, 1e-6);
    // The mile goes on across the gap, at the pace of the two segments.
    close(s.best_efforts.iter().find(|e| e.distance_m == 1609.344).unwrap().seconds, 1609.344 / 5.0, 1e-6);
}

#[test]
fn time_going_back_is_passed_over() {
    // A clock correction: 10 s back in the middle of a steady run.
    let mut points: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    points[50].time = Some(START_MS + 80_000);
    let s = analyse(&track(points), &Options::default());
    assert_eq!((s.elapsed_s, s.moving_s), (200.0, 200.0));
    close(s.average_speed_mps.unwrap(), 5.0, 1e-6);
    close(s.splits_km[0].seconds.unwrap(), 200.0, 1e-6);
}

#[test]
fn the_chart_series_is_evenly_thinned_and_keeps_speed_and_heart_rate() {
    let points =
        (0..=1000).map(|i| Point { heart_rate: Some(120 + (i / 100) as u16), ..at(i as f64 * 10.0, i as f64 * 2.0) });
    let s = analyse(&track(points.collect()), &Options { series_points: 100, ..Options::default() });
    // 1001 points in at most 100 samples: every 11th point.
    assert_eq!(s.series.len(), 91);
    let samples: Vec<&Sample> = s.series.iter().map(|sample| sample.as_ref().unwrap()).collect();
    assert_eq!(samples[1].distance_m.round(), 110.0);
    assert_eq!(samples[1].elapsed_s, Some(22.0));
    assert_eq!(samples[50].heart_rate, Some(125));
    for sample in samples {
        close(sample.speed_mps.unwrap(), 5.0, 1e-6);
    }
}

/// The lines of a shape, as a map draws them: broken at each `None`.
fn lines(shape: &[Option<[f64; 2]>]) -> Vec<Vec<[f64; 2]>> {
    shape.split(Option::is_none).map(|line| line.iter().flatten().copied().collect()).collect()
}

#[test]
fn the_map_and_the_charts_break_between_segments() {
    // 1 km east, then (after a drive) 1 km east again from 5 km further on.
    let first: Vec<Point> = (0..=100).map(|i| at(i as f64 * 10.0, i as f64 * 2.0)).collect();
    let second: Vec<Point> = (0..=100).map(|i| at(5000.0 + i as f64 * 10.0, 900.0 + i as f64 * 2.0)).collect();
    let s = analyse(&Track { segments: vec![first, second], ..Track::default() }, &Options::default());
    let lines = lines(&s.shape);
    assert_eq!(lines.len(), 2, "{:?}", s.shape);
    close(lines[0].last().unwrap()[1], 1000.0 / METRES_PER_DEGREE, 1e-12);
    close(lines[1][0][1], 5000.0 / METRES_PER_DEGREE, 1e-12);

    assert_eq!(s.series.len(), 203);
    assert_eq!(s.series[101], None);
    let (before, after) = (s.series[100].as_ref().unwrap(), s.series[102].as_ref().unwrap());
    // The gap adds no distance; the chart's speeds stay inside each segment.
    close(before.distance_m, 1000.0, 1e-6);
    close(after.distance_m, 1000.0, 1e-6);
    close(before.speed_mps.unwrap(), 5.0, 1e-6);
    close(after.speed_mps.unwrap(), 5.0, 1e-6);
}

#[test]
fn a_shape_of_many_segments_stays_within_its_points() {
    // 1000 short segments, each 5 m long with a 1 m gap to the next (a
    // receiver that lost its fix every few seconds): too many to keep
    // every segment's ends in 300 points, so the gaps a map could not
    // show are joined.
    let segments: Vec<Vec<Point>> = (0..1000)
        .map(|i| vec![at(i as f64 * 6.0, i as f64 * 2.0), at(i as f64 * 6.0 + 5.0, i as f64 * 2.0 + 1.0)])
        .collect();
    let s = analyse(&Track { segments, ..Track::default() }, &Options { shape_points: 300, ..Options::default() });
    let points = s.shape.iter().flatten().count();
    assert!((2..=300).contains(&points), "{points}");

    // Segments whose ends fit keep their breaks, however coarse the rest.
    let far: Vec<Vec<Point>> =
        (0..3).map(|k| (0..=50).map(|i| at(k as f64 * 10_000.0 + i as f64 * 10.0, i as f64)).collect()).collect();
    let s = analyse(&Track { segments: far, ..Track::default() }, &Options { shape_points: 6, ..Options::default() });
    assert_eq!(lines(&s.shape).len(), 3, "{:?}", s.shape);
}
