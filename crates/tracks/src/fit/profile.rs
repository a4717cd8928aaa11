//! FIT decoded through `fitparser` and the whole FIT profile: the decoder
//! for every file the quick one declines. Records are turned into points
//! one by one as they are decoded, so memory holds the file's bytes once
//! and the points, never every decoded message at the same time.

use fitparser::de::{DecodeOption, FitFileHeader, FitObject, FitStreamProcessor};
use fitparser::profile::MesgNum;
use fitparser::{ErrorKind, FitDataRecord, Value};

use super::{Decoded, Reading, Session};
use crate::error::{Location, TrackError};

/// fitparser panics on some values no device writes (a timestamp past what
/// its time type holds, among others the fuzzer found): such a panic is the
/// file's fault, and refuses it as damaged rather than failing whoever
/// reads it. Nothing outlives a panic here but the bytes, which it does not
/// touch.
pub(super) fn decode(bytes: &[u8]) -> Result<Decoded, TrackError> {
    std::panic::catch_unwind(|| decode_all(bytes)).unwrap_or_else(|_| {
        Err(TrackError::malformed(Location::File, "the file holds a value outside what FIT allows"))
    })
}

fn decode_all(bytes: &[u8]) -> Result<Decoded, TrackError> {
    let mut processor = FitStreamProcessor::new();
    // Keeps the raw `compressed_speed_distance`, whose distance part rolls
    // over every 256 m; see `CompressedDistance`.
    processor.add_option(DecodeOption::KeepCompositeFields);
    let mut compressed = CompressedDistance::default();
    let mut rest = bytes;
    let mut decoded = Decoded::default();
    // Whether the bytes end on a checksum. `whole` finds a cut from the
    // header; this, a file whose messages run past where its header says.
    let mut checksummed = false;
    // Where the messages of the file being read end, by its header.
    let mut messages_end = 0;
    while !rest.is_empty() {
        let offset = bytes.len() - rest.len();
        let at = Location::Byte(offset as u64);
        // A file (the first, or the next of a chain) begins here: its first
        // byte is its header's length, and fitparser slices that far into
        // the bytes without looking whether there are so many, and reads a
        // header too short to be one as a header again.
        if offset == 0 || checksummed {
            check_header_size(rest, at.clone(), bytes.len())?;
        } else if offset > messages_end {
            // fitparser would take what follows for the next file's header.
            return Err(TrackError::malformed(at, "a message runs past the end its file's header gives"));
        }
        let (remaining, object) = processor.deserialize_next(rest).map_err(|e| error(*e, at.clone()))?;
        rest = remaining;
        checksummed = matches!(object, FitObject::Crc(_));
        match object {
            // A file can hold several FIT files one after another (chained).
            FitObject::Crc(_) => processor.reset(),
            FitObject::DataMessage(message) => {
                let record = processor.decode_message(message).map_err(|e| error(*e, at))?;
                match record.kind() {
                    MesgNum::Record => decoded.add_record(reading(&record, &mut compressed), offset)?,
                    MesgNum::FileId if decoded.file_kind.is_none() => {
                        decoded.file_kind = field(&record, "type").map(|v| v.to_string());
                    }
                    MesgNum::Session => decoded.add_session(session(&record)),
                    _ => {}
                }
            }
            FitObject::Header(header) => {
                whole(&header, offset, bytes.len())?;
                messages_end = offset + usize::from(header.header_size()) + header.data_size() as usize;
            }
            FitObject::DefinitionMessage(_) => {}
        }
    }
    if !checksummed {
        return Err(TrackError::Truncated { at: Location::Byte(bytes.len() as u64) });
    }
    Ok(decoded)
}

/// A FIT header is 12 bytes long, or 14 with its own checksum (the first
/// byte says which): shorter is no header, longer than the bytes left is a
/// file cut short.
fn check_header_size(rest: &[u8], at: Location, available: usize) -> Result<(), TrackError> {
    let size = usize::from(rest[0]);
    if size < 12 {
        return Err(TrackError::malformed(at, format!("the FIT header says it is {size} bytes long, not 12 or 14")));
    }
    if size > rest.len() {
        return Err(TrackError::Truncated { at: Location::Byte(available as u64) });
    }
    Ok(())
}

/// The checksum closing every FIT file: two bytes after its messages.
const CHECKSUM_SIZE: u64 = 2;

/// Every FIT file's header gives the length of its messages, and a checksum
/// over all of it follows them (fitparser checks that it matches). Bytes
/// that stop short of the checksum are a file cut short: refused before any
/// of it is decoded, even when the cut falls neatly between two messages,
/// where decoding alone would take it for the end and read a shorter workout.
fn whole(header: &FitFileHeader, starts_at: usize, available: usize) -> Result<(), TrackError> {
    let ends_at = starts_at as u64 + u64::from(header.header_size()) + u64::from(header.data_size()) + CHECKSUM_SIZE;
    if ends_at > available as u64 {
        return Err(TrackError::Truncated { at: Location::Byte(available as u64) });
    }
    Ok(())
}

fn session(record: &FitDataRecord) -> Session {
    let get = |name: &str| field(record, name).and_then(number);
    let name = |name: &str| field(record, name).map(|v| v.to_string());
    Session {
        distance_m: get("total_distance"),
        elapsed_s: get("total_elapsed_time"),
        timer_s: get("total_timer_time"),
        sport: name("sport"),
        sub_sport: name("sub_sport"),
    }
}

/// Old devices write distance as 12 bits of 1/16 m that roll over every
/// 256 m (`compressed_speed_distance`); the distance is the sum of the steps
/// between readings. (`fitparser` adds the readings themselves, which
/// overstates it many times.)
#[derive(Default)]
struct CompressedDistance {
    last: Option<u16>,
    total: f64,
}

impl CompressedDistance {
    fn distance(&mut self, record: &FitDataRecord) -> Option<f64> {
        let Some(Value::Array(bytes)) = field(record, "compressed_speed_distance") else { return None };
        let byte = |i: usize| match bytes.get(i) {
            Some(Value::Byte(b) | Value::UInt8(b)) => Some(*b as u16),
            _ => None,
        };
        let raw = (byte(1)? >> 4) | (byte(2)? << 4);
        if let Some(last) = self.last {
            self.total += (raw.wrapping_sub(last) & 0x0FFF) as f64 / 16.0;
        }
        self.last = Some(raw);
        Some(self.total)
    }
}

fn reading(record: &FitDataRecord, compressed: &mut CompressedDistance) -> Reading {
    let get = |name: &str| field(record, name).and_then(number);
    Reading {
        time: match field(record, "timestamp") {
            Some(Value::Timestamp(t)) => Some(t.timestamp_millis()),
            _ => None,
        },
        lat: get("position_lat"),
        lon: get("position_long"),
        elevation: get("enhanced_altitude").or_else(|| get("altitude")),
        heart_rate: get("heart_rate"),
        cadence: get("cadence"),
        power: get("power"),
        temperature: get("temperature"),
        distance: compressed.distance(record).or_else(|| get("distance")),
    }
}

fn field<'a>(record: &'a FitDataRecord, name: &str) -> Option<&'a Value> {
    record.fields().iter().find(|f| f.name() == name).map(|f| f.value())
}

fn number(value: &Value) -> Option<f64> {
    let v = match *value {
        Value::Float64(v) => v,
        Value::Float32(v) => v as f64,
        Value::UInt8(v) | Value::UInt8z(v) | Value::Byte(v) => v as f64,
        Value::SInt8(v) => v as f64,
        Value::UInt16(v) | Value::UInt16z(v) => v as f64,
        Value::SInt16(v) => v as f64,
        Value::UInt32(v) | Value::UInt32z(v) => v as f64,
        Value::SInt32(v) => v as f64,
        Value::SInt64(v) => v as f64,
        Value::UInt64(v) | Value::UInt64z(v) => v as f64,
        _ => return None,
    };
    v.is_finite().then_some(v)
}

fn error(kind: ErrorKind, at: Location) -> TrackError {
    match kind {
        ErrorKind::UnexpectedEof(_) => TrackError::Truncated { at },
        ErrorKind::InvalidCrc(..) => TrackError::malformed(at, "the checksum does not match the data"),
        ErrorKind::Io(e) => TrackError::Io(e.to_string()),
        other => TrackError::malformed(at, other.to_string()),
    }
}
