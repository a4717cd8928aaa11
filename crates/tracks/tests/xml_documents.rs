//! The XML under GPX and TCX as writers produce it, and as they damage it:
//! every form of markup a real file may hold is read for what it means,
//! and every break in the rules is refused with what broke and where.

use std::io::{self, BufReader, Read};

use tracks::{read, read_bytes, Format, Location, TrackError};

/// A track of one point, `around` put where the file's writer might put things.
fn one_point(around: &str) -> String {
    format!(r#"<gpx><trk>{around}<trkseg><trkpt lat="1" lon="2"><ele>3</ele></trkpt></trkseg></trk></gpx>"#)
}

fn name_of(document: &str) -> Option<String> {
    read_bytes(document.as_bytes()).unwrap().name
}

fn malformed(document: &[u8]) -> (Location, String) {
    match read(Format::Gpx, document) {
        Err(TrackError::Malformed { at, detail }) => (at, detail),
        other => panic!("expected a damaged file, got {other:?}"),
    }
}

#[test]
fn references_cdata_and_line_ends_are_text_as_the_writer_meant_it() {
    assert_eq!(
        name_of(&one_point("<name>Fish &amp; chips &lt;3 &quot;&apos;&gt;</name>")).unwrap(),
        "Fish & chips <3 \"'>"
    );
    assert_eq!(name_of(&one_point("<name>Caf&#233; &#xE9;t&#xe9;</name>")).unwrap(), "Café été");
    // An entity only a document type could declare, or a number no
    // character has, stands for nothing.
    assert_eq!(name_of(&one_point("<name>a&nbsp;b&#0;c&#x110000;d</name>")).unwrap(), "abcd");
    assert_eq!(name_of(&one_point("<name><![CDATA[<b>bold</b> & free]]></name>")).unwrap(), "<b>bold</b> & free");
    assert_eq!(name_of(&one_point("<name>up<!-- a remark -->hill</name>")).unwrap(), "uphill");
    // Windows, old Mac, NEL and LS line ends all become `\n`.
    assert_eq!(name_of(&one_point("<name>a\r\nb\rc\u{85}d\u{2028}e</name>")).unwrap(), "a\nb\nc\nd\ne");
    assert_eq!(name_of(&one_point("<name><![CDATA[a\r\nb]]></name>")).unwrap(), "a\nb");
    assert_eq!(name_of(&one_point("<name>  Zürich — Bern  </name>")).unwrap(), "Zürich — Bern");
}

#[test]
fn declarations_comments_and_the_document_type_are_passed_over() {
    let document = r#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- written by hand -->
<!DOCTYPE gpx SYSTEM "gpx.dtd" [
  <!ENTITY lol "lol>lol">
  <!ELEMENT gpx (trk)*>
]>
<?stylesheet href="track.xsl"?>
<gpx><trk><name>Loop &lol;</name><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>
<!-- the end -->
"#;
    let track = read_bytes(document.as_bytes()).unwrap();
    // A declared entity is not expanded: no entity can blow a file up.
    assert_eq!((track.name.as_deref(), track.point_count()), (Some("Loop"), 1));
}

#[test]
fn attributes_are_read_however_they_are_quoted_and_spaced() {
    let document = "<gpx><trk><trkseg>\
        <trkpt lon = '2.5'\n\tlat\t=\"1.25\" note=\"a > b\"/>\
        <gpx:trkpt gpx:lat=\"&#52;6\" gpx:lon=\"7&amp;\"/>\
        </trkseg></trk></gpx>";
    match read_bytes(document.as_bytes()) {
        Err(TrackError::Malformed { detail, .. }) => assert!(detail.contains("<lon> holds `7&`"), "{detail}"),
        other => panic!("{other:?}"),
    }
    let document = document.replace("7&amp;", "7");
    let track = read_bytes(document.as_bytes()).unwrap();
    let positions: Vec<_> = track.points().map(|p| p.position()).collect();
    assert_eq!(positions, [Some((1.25, 2.5)), Some((46.0, 7.0))]);
}

/// A source that hands over one byte at a time, as a slow network might.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.0.len().min(out.len()).min(1);
        out[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn a_document_read_a_byte_at_a_time_is_the_same_document() {
    let point = |i: usize| {
        format!(
            "<trkpt lat=\"46.{i:05}\" lon=\"14.5\"><ele>{i}.5</ele><time>2024-05-01T06:{:02}:{:02}Z</time>\
             <!-- {i} --><extensions><gpxtpx:hr>{}</gpxtpx:hr></extensions></trkpt>\n",
            i / 60,
            i % 60,
            100 + i % 50
        )
    };
    let points: String = (0..3_000).map(point).collect();
    let document = format!(
        "<gpx><metadata><desc><![CDATA[{}]]></desc></metadata><trk><name>Long &amp; slow</name><trkseg>{points}</trkseg></trk></gpx>",
        "x".repeat(60_000)
    );
    let whole = read_bytes(document.as_bytes()).unwrap();
    assert_eq!(whole.point_count(), 3_000);
    let trickled = read(Format::Gpx, BufReader::with_capacity(1, Trickle(document.as_bytes()))).unwrap();
    assert_eq!(trickled, whole);
}

/// Each closing tag is held to its own opening tag, whatever names the
/// elements inside had, longer or shorter, prefixed or not.
#[test]
fn an_element_closes_alike_after_children_of_any_name() {
    let document = r#"<gpx><trk><extensions><gpxtpx:TrackPointExtensionV2 a="1"/><x/></extensions><name>Ridge</name>
        <trkseg><trkpt lat="1" lon="2"><extensions><b:c><d>e</d></b:c></extensions><ele>3</ele></trkpt></trkseg></trk></gpx>"#;
    let track = read_bytes(document.as_bytes()).unwrap();
    assert_eq!((track.name.as_deref(), track.point_count()), (Some("Ridge"), 1));
    assert_eq!(track.points().next().unwrap().elevation, Some(3.0));
    let (_, detail) = malformed(b"<gpx><trk><a:a-longer-name/></trkk></gpx>");
    assert_eq!(detail, "</trkk> closes <trk>");
    let (_, detail) = malformed(b"<gpx><trk><b/></tr></gpx>");
    assert_eq!(detail, "</tr> closes <trk>");
}

/// Attributes are told apart by their names as written: a prefixed name
/// is another attribute, and a point's position is the first attribute
/// with the local name asked for.
#[test]
fn attributes_with_and_without_a_prefix_are_different_attributes() {
    let document = r#"<gpx><trk><trkseg><trkpt x:lat="1" lat="5" lon="2"/></trkseg></trk></gpx>"#;
    let track = read_bytes(document.as_bytes()).unwrap();
    assert_eq!(track.points().next().unwrap().position(), Some((1.0, 2.0)));
    let (_, detail) = malformed(br#"<gpx><trk><trkseg><trkpt x:lat="1" x:lat="1" lon="2"/></trkseg></trk></gpx>"#);
    assert_eq!(detail, "an element has the attribute `x:lat` twice");
}

#[test]
fn tags_that_do_not_match_are_refused_where_they_are() {
    let (at, detail) = malformed(b"<gpx><trk><trkseg></trk></trkseg></gpx>");
    assert_eq!((at, detail.as_str()), (Location::Byte(18), "</trk> closes <trkseg>"));
    let (_, detail) = malformed(b"<gpx></gpx></gpx>");
    assert_eq!(detail, "</gpx> closes no element");
    // Prefixes are part of the name a closing tag must repeat.
    let (_, detail) = malformed(b"<gpx><a:name>x</b:name></gpx>");
    assert_eq!(detail, "</b:name> closes <a:name>");
    let (_, detail) = malformed(b"<gpx>< trk/></gpx>");
    assert!(detail.contains("`<` begins no tag"), "{detail}");
    let (_, detail) = malformed(b"<gpx><!ELEMENT x></gpx>");
    assert!(detail.contains("neither a comment"), "{detail}");
}

#[test]
fn broken_attributes_and_references_are_refused() {
    for (document, expected) in [
        (&br#"<gpx><trk a="1" a="2"/></gpx>"#[..], "the attribute `a` twice"),
        (br#"<gpx><trk a=1/></gpx>"#, "not in quotes"),
        (br#"<gpx><trk a/></gpx>"#, "has no value"),
        (br#"<gpx><trk a="1"b="2"/></gpx>"#, "no space between them"),
        (br#"<gpx><trk a="&nbsp;"/></gpx>"#, "an entity the file does not define"),
        (b"<gpx><name>Fish & chips</name></gpx>", "a `&` begins no reference"),
        (b"<gpx><name>caf\xe9</name></gpx>", "not UTF-8"),
        (b"<gpx><trk a=\"caf\xe9\"/></gpx>", "not UTF-8"),
    ] {
        let (_, detail) = malformed(document);
        assert!(detail.contains(expected), "{}: {detail}", String::from_utf8_lossy(document));
    }
    // Two names that differ in their prefix are two attributes.
    let document = r#"<gpx a:x="1" b:x="2"><trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>"#;
    assert_eq!(read_bytes(document.as_bytes()).unwrap().point_count(), 1);
}

#[test]
fn a_document_cut_inside_any_markup_is_cut_short() {
    let whole = one_point("<!-- a remark --><name><![CDATA[Loop]]></name><?pi x?>");
    for cut in ["<!-- a re", "<![CDATA[Lo", "<?pi", "<trkpt lat=\"1", "<ele>3</e", "<ele>3"] {
        let end = whole.find(cut).unwrap() + cut.len();
        match read_bytes(&whole.as_bytes()[..end]) {
            Err(TrackError::Truncated { at: Location::Byte(at) }) => assert!(at as usize <= end, "{cut}: {at}"),
            other => panic!("cut after {cut}: {other:?}"),
        }
    }
    assert_eq!(read_bytes(b"<?xml version=\"1.0\"?><!-- nothing -->"), Err(TrackError::UnknownFormat));
}

/// Damage of every kind a copy or a careless writer does, at random places:
/// whatever comes of it, the reader answers (a track or an error) and
/// never panics or hangs.
#[test]
fn no_damage_makes_the_reader_panic() {
    let whole = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE gpx [<!ENTITY e 'x'>]><gpx xmlns:g='x'><trk><name>A &amp; B<![CDATA[c]]></name>\
         <trkseg>{}</trkseg></trk><!-- end --></gpx>",
        r#"<trkpt lat="46.5" lon='14.5'><ele>3</ele><time>2024-05-01T06:00:00Z</time><g:hr>140</g:hr></trkpt>"#.repeat(4)
    );
    let pieces: [&[u8]; 14] =
        [b"<", b">", b"/", b"&", b";", b"\"", b"'", b"<!", b"<![CDATA[", b"]]>", b"<!--", b"<?", b"\xe9", b"&#x;"];
    let mut seed = 5u64;
    let mut next = |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % below
    };
    let (mut read_whole, mut refused) = (0, 0);
    for _ in 0..20_000 {
        let mut damaged = whole.as_bytes().to_vec();
        for _ in 0..1 + next(3) {
            let at = next(damaged.len());
            match next(3) {
                0 => damaged[at] = next(256) as u8,
                1 => drop(damaged.drain(at..(at + next(8)).min(damaged.len()))),
                _ => drop(damaged.splice(at..at, pieces[next(pieces.len())].iter().copied())),
            }
        }
        match read(Format::Gpx, damaged.as_slice()) {
            Ok(_) => read_whole += 1,
            Err(_) => refused += 1,
        }
    }
    assert!(read_whole > 1_000 && refused > 1_000, "{read_whole} read, {refused} refused");
}
