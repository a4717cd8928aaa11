//! What reading costs in memory, counted by the allocator: bounded by the
//! points kept, whatever else a document holds and however much of it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tracks::{read, Format, TrackError};

/// The system allocator, keeping the most that was held at once.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let held = HELD.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        MOST.fetch_max(held, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// One test at a time: they run on parallel threads, and one building its
/// documents would count in the other's reading.
static ALONE: Mutex<()> = Mutex::new(());

/// Reads `document`: how it came out, and the most memory held at once
/// while reading, beyond what was held before.
fn read_counting(format: Format, document: &[u8]) -> (&'static str, usize) {
    let before = HELD.load(Ordering::SeqCst);
    MOST.store(before, Ordering::SeqCst);
    let result = read(format, document);
    let most = MOST.load(Ordering::SeqCst) - before;
    let outcome = match result {
        Ok(_) => "read",
        Err(TrackError::NoPoints) => "no points",
        Err(TrackError::BeyondLimits { .. }) => "beyond limits",
        Err(_) => "other error",
    };
    (outcome, most)
}

const KIB: usize = 1024;

#[test]
fn what_is_not_a_point_costs_no_memory_however_much_of_it_there_is() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // Each about 4 MB of input, none of it points kept.
    let cases = [
        (
            "a point's unknown extensions",
            Format::Gpx,
            format!(
                r#"<gpx><trk><trkseg><trkpt lat="1" lon="2"><extensions>{}</extensions></trkpt></trkseg></trk></gpx>"#,
                "<x:speed>1</x:speed>".repeat(200_000)
            ),
            "read",
        ),
        (
            "empty segments",
            Format::Gpx,
            format!("<gpx><trk>{}</trk></gpx>", "<trkseg>\n</trkseg>".repeat(200_000)),
            "no points",
        ),
        (
            "waypoints",
            Format::Gpx,
            format!("<gpx>{}<rte/></gpx>", r#"<wpt lat="1" lon="2"><name>x</name></wpt>"#.repeat(100_000)),
            "no points",
        ),
        (
            "comments and instructions",
            Format::Gpx,
            format!("<gpx>{}</gpx>", "<!-- a comment --><?pi x?>".repeat(150_000)),
            "no points",
        ),
        (
            "empty trackpoints",
            Format::Tcx,
            format!(
                "<TrainingCenterDatabase><Activities><Activity><Lap><Track>{}</Track></Lap></Activity></Activities></TrainingCenterDatabase>",
                "<Trackpoint/>".repeat(300_000)
            ),
            "no points",
        ),
        ("nested elements", Format::Gpx, format!("<gpx>{}", "<a>".repeat(1_400_000)), "beyond limits"),
        (
            "whitespace between comments, in one element's text",
            Format::Gpx,
            format!("<gpx>{}</gpx>", "<!---->\n  ".repeat(400_000)),
            "no points",
        ),
        (
            "words between comments, in one element's text",
            Format::Gpx,
            format!("<gpx><desc>{}</desc></gpx>", "<!---->word ".repeat(300_000)),
            "beyond limits",
        ),
    ];
    for (what, format, document, expected) in cases {
        assert!(document.len() > 3_500_000, "{what}: {} bytes", document.len());
        let (outcome, most) = read_counting(format, document.as_bytes());
        assert_eq!(outcome, expected, "{what}");
        assert!(most < 256 * KIB, "{what}: {} KiB held at once", most / KIB);
    }
}

#[test]
fn points_cost_their_size_and_little_more() {
    let _alone = ALONE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let points = 100_000;
    let document = format!(
        "<gpx><trk>{}</trk></gpx>",
        r#"<trkseg><trkpt lat="1" lon="2"><ele>3</ele></trkpt></trkseg>"#.repeat(points)
    );
    let (outcome, most) = read_counting(Format::Gpx, document.as_bytes());
    assert_eq!(outcome, "read");
    // A point and its segment's vector, each segment trimmed to its one
    // point; the list of segments may hold twice its length while growing.
    let each = std::mem::size_of::<tracks::Point>() + 3 * std::mem::size_of::<Vec<tracks::Point>>();
    assert!(most < points * each + 256 * KIB, "{} bytes a point", most / points);
}
