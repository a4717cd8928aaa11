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
    #[error("the file ends too early {at}; it may not have been copied completely")]
    Truncated { at: Location },
    #[error("this FIT file is a {kind} file, not a recorded activity")]
    NotAnActivity { kind: String },
    #[error("the file holds no track or route points (waypoints alone are not a workout)")]
    NoPoints,
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
