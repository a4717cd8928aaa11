//! Why a file is not a track, in words a person can act on.

/// Where in the file the problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A byte offset (XML and FIT).
    Byte(u64),
    /// The n-th point (1-based) of the file.
    Point(usize),
    /// The whole file.
    File,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Byte(at) => write!(f, "at byte {at}"),
            Location::Point(n) => write!(f, "at point {n}"),
            Location::File => f.write_str("in the file"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TrackError {
    #[error("this is not a GPX, TCX or FIT file")]
    UnknownFormat,
    #[error("the file is damaged {at}: {detail}")]
    Malformed { at: Location, detail: String },
    #[error(
        "the file ends too early {at}: it looks cut short, as by an upload or copy that did not finish; \
         send it again"
    )]
    Truncated { at: Location },
    /// The file goes where no activity file does (elements nested hundreds
    /// deep, a megabyte of text in one element): refused as soon as it does,
    /// before it costs memory, since such a file is built to exhaust the
    /// server or is not a track at all.
    #[error("{detail} {at}: not an activity file")]
    BeyondLimits { at: Location, detail: String },
    #[error("this FIT file is a {kind} file, not a recorded activity")]
    NotAnActivity { kind: String },
    #[error("the file holds no track or route points (waypoints alone are not a workout)")]
    NoPoints,
    /// A track without times is a plan, not a recording: nothing of its
    /// duration, speed or start can be known, so it is no training.
    #[error(
        "this file has no times (a planned route?): it cannot be recorded as a training; \
         routes are a later feature"
    )]
    NoTimes,
    #[error("a value is out of range {at}: {detail}")]
    OutOfRange { at: Location, detail: String },
    #[error("reading the file failed: {0}")]
    Io(String),
}

impl TrackError {
    pub(crate) fn malformed(at: Location, detail: impl Into<String>) -> Self {
        TrackError::Malformed { at, detail: detail.into() }
    }
}
