//! The readers on small files written for the purpose: extensions, routes,
//! and the errors that say what is wrong and where.

use tracks::{read, read_bytes, Format, Location, TrackError};

fn gpx(points: &str) -> String {
    format!(
        r#"<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1"
     xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1"
     xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0">
  <metadata><name>Morning &amp; run</name></metadata>
  <trk><type>running</type><trkseg>{points}</trkseg></trk>
</gpx>"#
    )
}

#[test]
fn gpx_extensions_give_heart_rate_cadence_temperature_and_power() {
    let text = gpx(r#"
      <trkpt lat="46.5" lon="15.5"><ele>300.5</ele><time>2024-05-01T06:00:00Z</time>
        <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>141</gpxtpx:hr><gpxtpx:cad>88</gpxtpx:cad>
        <gpxtpx:atemp>12.5</gpxtpx:atemp></gpxtpx:TrackPointExtension><power>250</power></extensions></trkpt>
      <trkpt lat="46.501" lon="15.5"><time>2024-05-01T06:00:05.500+02:00</time>
        <extensions><gpxdata:hr>150</gpxdata:hr><gpxdata:cadence>90</gpxdata:cadence></extensions></trkpt>"#);
    let track = read_bytes(text.as_bytes()).unwrap();
    assert_eq!(track.name.as_deref(), Some("Morning & run"));
    assert_eq!(track.sport.as_deref(), Some("running"));
    let points: Vec<_> = track.points().collect();
    assert_eq!((points[0].heart_rate, points[0].cadence, points[0].power), (Some(141), Some(88), Some(250)));
    assert_eq!((points[0].temperature, points[0].elevation), (Some(12.5), Some(300.5)));
    assert_eq!(points[0].time, Some(1_714_543_200_000));
    // An offset is honoured: 06:00:05.5 at +02:00 is 04:00:05.5 UTC.
    assert_eq!(points[1].time, Some(1_714_543_200_000 - 7_200_000 + 5_500));
    assert_eq!((points[1].heart_rate, points[1].cadence), (Some(150), Some(90)));
}

#[test]
fn a_gpx_route_is_read_when_there_is_no_track() {
    let text = r#"<gpx version="1.0"><rte><name>Loop</name>
        <rtept lat="1" lon="2"/><rtept lat="1.001" lon="2"/></rte></gpx>"#;
    let track = read_bytes(text.as_bytes()).unwrap();
    assert_eq!(track.point_count(), 2);
    assert_eq!(track.points().next().unwrap().position(), Some((1.0, 2.0)));
}

#[test]
fn tcx_laps_tracks_and_power() {
    let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">
 <Activities><Activity Sport="Biking"><Id>2024-05-01T06:00:00Z</Id>
  <Lap StartTime="2024-05-01T06:00:00Z"><TotalTimeSeconds>10</TotalTimeSeconds><DistanceMeters>100</DistanceMeters>
   <Track>
    <Trackpoint><Time>2024-05-01T06:00:00Z</Time><Position><LatitudeDegrees>46.5</LatitudeDegrees><LongitudeDegrees>15.5</LongitudeDegrees></Position>
     <AltitudeMeters>300</AltitudeMeters><DistanceMeters>0</DistanceMeters><HeartRateBpm><Value>120</Value></HeartRateBpm><Cadence>85</Cadence>
     <Extensions><ns3:TPX><ns3:Watts>210</ns3:Watts></ns3:TPX></Extensions></Trackpoint>
    <Trackpoint><Time>2024-05-01T06:00:10Z</Time><DistanceMeters>100</DistanceMeters></Trackpoint>
   </Track>
  </Lap>
 </Activity></Activities>
</TrainingCenterDatabase>"#;
    let track = read(Format::Tcx, text.as_bytes()).unwrap();
    assert_eq!(track.sport.as_deref(), Some("Biking"));
    let totals = track.device_totals.unwrap();
    assert_eq!((totals.distance_m, totals.timer_s), (Some(100.0), Some(10.0)));
    let first = track.points().next().unwrap();
    assert_eq!(
        (first.heart_rate, first.cadence, first.power, first.distance),
        (Some(120), Some(85), Some(210), Some(0.0))
    );
    // A point without position (a tunnel, a trainer) keeps its time and distance.
    let second = track.points().nth(1).unwrap();
    assert_eq!((second.position(), second.distance), (None, Some(100.0)));
}

/// A `<Track>` per lap: laps that follow each other are one segment (no
/// gap in the map, the distance or the time); a track after a long pause
/// starts a new one.
#[test]
fn tcx_tracks_join_unless_a_pause_parts_them() {
    let point = |time: &str, lat: f64| {
        format!(
            "<Trackpoint><Time>{time}</Time><Position><LatitudeDegrees>{lat}</LatitudeDegrees>\
             <LongitudeDegrees>15.5</LongitudeDegrees></Position></Trackpoint>"
        )
    };
    let lap = |points: &[(&str, f64)]| {
        let points: String = points.iter().map(|(t, lat)| point(t, *lat)).collect();
        format!("<Lap><Track>{points}</Track></Lap>")
    };
    let text = format!(
        "<TrainingCenterDatabase><Activities><Activity Sport=\"Running\"><Id>2024-05-01T06:00:00Z</Id>{}{}{}</Activity></Activities></TrainingCenterDatabase>",
        lap(&[("2024-05-01T06:00:00Z", 46.500), ("2024-05-01T06:05:00Z", 46.510)]),
        lap(&[("2024-05-01T06:05:05Z", 46.511), ("2024-05-01T06:10:00Z", 46.520)]),
        lap(&[("2024-05-01T07:00:00Z", 46.521), ("2024-05-01T07:05:00Z", 46.530)]),
    );
    let track = read(Format::Tcx, text.as_bytes()).unwrap();
    let lengths: Vec<usize> = track.segments.iter().map(Vec::len).collect();
    assert_eq!(lengths, [4, 2], "the first two laps join, the one after 50 minutes does not");
}

#[test]
fn formats_are_recognised_by_content() {
    assert_eq!(Format::sniff(b"\xEF\xBB\xBF<?xml version='1.0'?><!-- hi --><gpx>"), Some(Format::Gpx));
    assert_eq!(Format::sniff(b"<ns:TrainingCenterDatabase xmlns:ns='x'>"), Some(Format::Tcx));
    let typed = b"<?xml version='1.0'?>\n<!DOCTYPE gpx [ <!ENTITY a 'b'> ]>\n<gpx>";
    assert_eq!(Format::sniff(typed), Some(Format::Gpx));
    assert_eq!(
        Format::sniff(b"<!DOCTYPE TrainingCenterDatabase SYSTEM 'tcx.dtd'><TrainingCenterDatabase>"),
        Some(Format::Tcx)
    );
    assert_eq!(Format::sniff(b"\x0e\x10\x00\x00\x00\x00\x00\x00.FIT\x00\x00"), Some(Format::Fit));
    assert_eq!(Format::sniff(b"<html><body>"), None);
    assert_eq!(Format::sniff(b"PK\x03\x04"), None);
    assert_eq!(read_bytes(b"name,date\nrun,2024"), Err(TrackError::UnknownFormat));
}

#[test]
fn errors_say_what_is_wrong_and_where() {
    let cut = gpx(r#"<trkpt lat="1" lon="2"><time>2024-05-01T06:00:00Z</time></trkpt>"#);
    let cut = &cut[..cut.len() - 20];
    assert!(
        matches!(read_bytes(cut.as_bytes()), Err(TrackError::Truncated { .. })),
        "{:?}",
        read_bytes(cut.as_bytes())
    );

    let beyond = gpx(r#"<trkpt lat="1" lon="2"/><trkpt lat="95" lon="2"/>"#);
    let error = read_bytes(beyond.as_bytes()).unwrap_err();
    assert!(matches!(&error, TrackError::OutOfRange { at: Location::Point(2), .. }), "{error:?}");
    assert_eq!(error.to_string(), "a value is out of range at point 2: lat 95 is beyond ±90");

    let word = gpx(r#"<trkpt lat="1" lon="2"><ele>high</ele></trkpt>"#);
    let error = read_bytes(word.as_bytes()).unwrap_err();
    assert!(error.to_string().contains("<ele> holds `high`, not a number"), "{error}");

    let missing = gpx(r#"<trkpt lon="2"/>"#);
    assert!(read_bytes(missing.as_bytes()).unwrap_err().to_string().contains("the point has no `lat`"));

    let waypoints = r#"<gpx><wpt lat="1" lon="2"/></gpx>"#;
    assert_eq!(read_bytes(waypoints.as_bytes()), Err(TrackError::NoPoints));

    let not_gpx = read(Format::Gpx, &b"<kml><Placemark/></kml>"[..]).unwrap_err();
    assert_eq!(not_gpx.to_string(), "the file is damaged in the file: the root element is <kml>, not <gpx>");
}

#[test]
fn a_written_gpx_reads_back_with_the_same_points() {
    let text = gpx(r#"
      <trkpt lat="46.5" lon="15.5"><ele>300.5</ele><time>2024-05-01T06:00:00Z</time>
        <extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>141</gpxtpx:hr><gpxtpx:cad>88</gpxtpx:cad>
        </gpxtpx:TrackPointExtension><power>250</power></extensions></trkpt>
      <trkpt lat="46.501" lon="15.5"><time>2024-05-01T06:00:05.500Z</time></trkpt>"#);
    let mut track = read_bytes(text.as_bytes()).unwrap();
    track.name = Some("Run <by the \"river\"> & back".into());
    let mut written = Vec::new();
    tracks::write_gpx(&track, &mut written).unwrap();
    let again = read_bytes(&written).unwrap();
    assert_eq!(again.name, track.name);
    assert_eq!(again.sport.as_deref(), Some("running"));
    let (before, after): (Vec<_>, Vec<_>) = (track.points().collect(), again.points().collect());
    assert_eq!(after.len(), 2);
    assert_eq!(after[0].time, before[0].time);
    assert_eq!(after[1].time, Some(1_714_543_205_500));
    assert_eq!((after[0].heart_rate, after[0].cadence, after[0].power), (Some(141), Some(88), Some(250)));
    assert_eq!(after[0].elevation, Some(300.5));
    assert_eq!(after[1].position(), Some((46.501, 15.5)));
}
