//! FIT decoded straight from the bytes: each definition is turned once
//! into where its message holds the few fields a track needs, and each
//! record is then a handful of reads at fixed offsets, with no allocation.
//!
//! It answers `None` (leaving the file to `profile`) for a file that is not
//! whole and sound and for anything it does not take on; what it does
//! decode, it decodes as fitparser does, to the bit (see the tests).

use fitparser::profile::{get_field_variant_as_string, FieldDataType};

use super::{scaled, Decoded, Reading, Session};

/// FIT times count seconds from 1989-12-31T00:00:00Z.
const FIT_EPOCH_S: i64 = 631_065_600;

/// The messages a track is made of (global message numbers).
const FILE_ID: u16 = 0;
const SESSION: u16 = 18;
const RECORD: u16 = 20;
/// Describes a developer field; fitparser may refuse a file over one.
const FIELD_DESCRIPTION: u16 = 206;

/// Every message's timestamp field.
const TIMESTAMP: u8 = 253;

pub(super) fn decode(bytes: &[u8]) -> Option<Decoded> {
    // No bytes end on no checksum: a file cut short before it began.
    if bytes.is_empty() {
        return None;
    }
    let mut decoder = Decoder { definitions: Default::default(), base_time: 0, decoded: Decoded::default() };
    let mut at = 0;
    // A file can hold several FIT files one after another (chained).
    while at < bytes.len() {
        at = decoder.file(bytes, at)?;
    }
    Some(decoder.decoded)
}

struct Decoder {
    /// The definitions by local message number.
    definitions: [Option<Definition>; 16],
    /// The last full timestamp, which compressed ones count on from.
    base_time: i64,
    decoded: Decoded,
}

impl Decoder {
    /// Decodes the FIT file starting at `start`; where it ends.
    fn file(&mut self, bytes: &[u8], start: usize) -> Option<usize> {
        let header = bytes.get(start..)?;
        let header_size = usize::from(*header.first()?);
        let header = header.get(..header_size)?;
        if !matches!(header_size, 12 | 14) || &header[8..12] != b".FIT" {
            return None;
        }
        let data_size = u32::from_le_bytes(header[4..8].try_into().ok()?) as usize;
        // A header with a checksum of its own is left out of the file's checksum (as fitparser has it).
        let mut crc = match header.get(12..14).map(|c| u16::from_le_bytes([c[0], c[1]])) {
            Some(own) if own != 0 => (crc16(0, &header[..12]) == own).then_some(0)?,
            _ => crc16(0, header),
        };
        let data_start = start + header_size;
        let data_end = data_start.checked_add(data_size)?;
        let data = bytes.get(data_start..data_end)?;
        let mut at = 0;
        while at < data.len() {
            at += self.message(&data[at..], data_start + at)?;
        }
        crc = crc16(crc, data);
        let checksum = bytes.get(data_end..data_end + 2)?;
        if crc != u16::from_le_bytes([checksum[0], checksum[1]]) {
            return None;
        }
        self.definitions = Default::default();
        self.base_time = 0;
        Some(data_end + 2)
    }

    /// Decodes the message at the start of `bytes` (at `offset` in the file); its length.
    fn message(&mut self, bytes: &[u8], offset: usize) -> Option<usize> {
        let header = *bytes.first()?;
        let body = &bytes[1..];
        let length = if header & 0x80 != 0 {
            // A compressed timestamp header: local types 0–3 and five bits of time.
            self.data(usize::from((header >> 5) & 0x3), body, Some(i64::from(header & 0x1F)), offset)?
        } else if header & 0x40 != 0 {
            let developer_fields = header & 0x20 != 0;
            if developer_fields {
                return None;
            }
            let (definition, length) = Definition::read(body)?;
            if matches!(definition.kind, Kind::Record(_)) {
                self.decoded.expect_points(bytes.len() / (1 + definition.size));
            }
            self.definitions[usize::from(header & 0xF)] = Some(definition);
            length
        } else {
            self.data(usize::from(header & 0xF), body, None, offset)?
        };
        Some(1 + length)
    }

    fn data(&mut self, local: usize, body: &[u8], time_offset: Option<i64>, offset: usize) -> Option<usize> {
        let definition = self.definitions[local].as_ref()?;
        let message = body.get(..definition.size)?;
        let read = Fields { message, big_endian: definition.big_endian };
        // Every message with a timestamp sets the time that compressed ones count on from.
        let stamped = definition.timestamp.and_then(|at| read.u32(at));
        if let Some(t) = stamped {
            self.base_time = i64::from(t);
        }
        let compressed = time_offset.map(|o| advance(&mut self.base_time, o));
        let time = stamped.map(i64::from).or(compressed).map(|t| (FIT_EPOCH_S + t) * 1000);
        match &definition.kind {
            Kind::Record(layout) => self.decoded.add_record(layout.reading(&read, time)?, offset).ok()?,
            Kind::FileId { kind } if self.decoded.file_kind.is_none() => {
                // Anything but an activity is left to fitparser to name.
                self.decoded.file_kind = match kind.and_then(|at| read.u8(at)) {
                    Some(4) => Some("activity".into()),
                    Some(_) => return None,
                    None => None,
                };
            }
            Kind::Session(layout) => self.decoded.add_session(layout.session(&read)),
            _ => {}
        }
        Some(definition.size)
    }
}

/// The time a compressed timestamp (the low five bits of the seconds)
/// stands for, counting on from `base`, which it becomes.
fn advance(base: &mut i64, offset: i64) -> i64 {
    let mut time = offset + (*base & !0x1F);
    if offset < *base & 0x1F {
        time += 0x20;
    }
    *base = time;
    time
}

/// What a definition says of the messages of its local type.
struct Definition {
    size: usize,
    big_endian: bool,
    /// Where the timestamp is.
    timestamp: Option<usize>,
    kind: Kind,
}

enum Kind {
    Record(RecordLayout),
    FileId { kind: Option<usize> },
    Session(SessionLayout),
    Other,
}

/// A field a track needs: its number, its base type (as fitparser masks
/// it) and size, which must be the profile's, and where its value goes.
struct Wanted {
    number: u8,
    base_type: u8,
    size: usize,
    slot: usize,
}

const UINT8: u8 = 0x02;
const SINT8: u8 = 0x01;
const ENUM: u8 = 0x00;
const UINT16: u8 = 0x84;
const SINT32: u8 = 0x85;
const UINT32: u8 = 0x86;

const fn wanted(number: u8, base_type: u8, size: usize, slot: usize) -> Wanted {
    Wanted { number, base_type, size, slot }
}

/// The record fields: timestamp, position_lat, position_long, altitude,
/// enhanced_altitude, heart_rate, cadence, power, temperature, distance.
const RECORD_FIELDS: [Wanted; 10] = [
    wanted(TIMESTAMP, UINT32, 4, 0),
    wanted(0, SINT32, 4, 1),
    wanted(1, SINT32, 4, 2),
    wanted(2, UINT16, 2, 3),
    wanted(78, UINT32, 4, 4),
    wanted(3, UINT8, 1, 5),
    wanted(4, UINT8, 1, 6),
    wanted(7, UINT16, 2, 7),
    wanted(13, SINT8, 1, 8),
    wanted(5, UINT32, 4, 9),
];
/// Record fields left to fitparser: compressed_speed_distance.
const RECORD_DECLINED: [u8; 1] = [8];

/// The session fields: total_distance, total_elapsed_time, total_timer_time, sport, sub_sport.
const SESSION_FIELDS: [Wanted; 6] = [
    wanted(TIMESTAMP, UINT32, 4, 0),
    wanted(9, UINT32, 4, 1),
    wanted(7, UINT32, 4, 2),
    wanted(8, UINT32, 4, 3),
    wanted(5, ENUM, 1, 4),
    wanted(6, ENUM, 1, 5),
];

/// The file_id field `type`.
const FILE_ID_FIELDS: [Wanted; 2] = [wanted(TIMESTAMP, UINT32, 4, 0), wanted(0, ENUM, 1, 1)];

/// Any other message: only its timestamp counts.
const OTHER_FIELDS: [Wanted; 1] = [wanted(TIMESTAMP, UINT32, 4, 0)];

impl Definition {
    /// Reads a definition's body; with its length.
    fn read(body: &[u8]) -> Option<(Definition, usize)> {
        let big_endian = *body.get(1)? == 1;
        let number = [*body.get(2)?, *body.get(3)?];
        let global = if big_endian { u16::from_be_bytes(number) } else { u16::from_le_bytes(number) };
        let count = usize::from(*body.get(4)?);
        let length = 5 + 3 * count;
        let fields = body.get(5..length)?;
        let (wanted, declined): (&[Wanted], &[u8]) = match global {
            RECORD => (&RECORD_FIELDS, &RECORD_DECLINED),
            SESSION => (&SESSION_FIELDS, &[]),
            FILE_ID => (&FILE_ID_FIELDS, &[]),
            FIELD_DESCRIPTION => return None,
            _ => (&OTHER_FIELDS, &[]),
        };
        let (size, at) = place(fields, wanted, declined)?;
        let kind = match global {
            RECORD => Kind::Record(RecordLayout { at }),
            SESSION => Kind::Session(SessionLayout { at }),
            FILE_ID => Kind::FileId { kind: at[1] },
            _ => Kind::Other,
        };
        Some((Definition { size, big_endian, timestamp: at[0], kind }, length))
    }
}

/// Where each wanted field lies in a message of these `fields` (number,
/// size, base type each), and the message's size; `None` when a wanted
/// field is not as the profile has it, or comes twice, or a declined one is there.
fn place(fields: &[u8], wanted: &[Wanted], declined: &[u8]) -> Option<(usize, [Option<usize>; 10])> {
    let mut at = [None; 10];
    let mut size = 0;
    for field in fields.chunks_exact(3) {
        let (number, field_size, base_type) = (field[0], usize::from(field[1]), field[2] & 0x9F);
        if declined.contains(&number) {
            return None;
        }
        if let Some(w) = wanted.iter().find(|w| w.number == number) {
            if (w.base_type, w.size) != (base_type, field_size) || at[w.slot].is_some() {
                return None;
            }
            at[w.slot] = Some(size);
        }
        size += field_size;
    }
    Some((size, at))
}

/// A data message's bytes, read as its definition says. Each read is
/// `None` for the profile's invalid value, as fitparser leaves those out.
struct Fields<'a> {
    message: &'a [u8],
    big_endian: bool,
}

impl Fields<'_> {
    fn bytes<const N: usize>(&self, at: usize) -> [u8; N] {
        let mut bytes: [u8; N] = self.message[at..at + N].try_into().expect("the definition's size holds it");
        if self.big_endian {
            bytes.reverse();
        }
        bytes
    }

    fn u8(&self, at: usize) -> Option<u8> {
        Some(self.message[at]).filter(|v| *v != 0xFF)
    }

    fn i8(&self, at: usize) -> Option<i8> {
        Some(self.message[at] as i8).filter(|v| *v != 0x7F)
    }

    fn u16(&self, at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(self.bytes(at))).filter(|v| *v != 0xFFFF)
    }

    fn u32(&self, at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(at))).filter(|v| *v != 0xFFFF_FFFF)
    }

    fn i32(&self, at: usize) -> Option<i32> {
        Some(i32::from_le_bytes(self.bytes(at))).filter(|v| *v != 0x7FFF_FFFF)
    }
}

struct RecordLayout {
    at: [Option<usize>; 10],
}

impl RecordLayout {
    /// The record's fields; `None` where fitparser's reading would depend
    /// on the order it happens to hold them in (two different altitudes).
    fn reading(&self, read: &Fields, time: Option<i64>) -> Option<Reading> {
        let at = &self.at;
        let altitude = at[3].and_then(|a| read.u16(a));
        let enhanced = at[4].and_then(|a| read.u32(a));
        if let (Some(a), Some(e)) = (altitude, enhanced) {
            if u32::from(a) != e {
                return None;
            }
        }
        let metres = |raw: u32| scaled(f64::from(raw), 5.0, 500.0);
        Some(Reading {
            time,
            lat: at[1].and_then(|a| read.i32(a)).map(f64::from),
            lon: at[2].and_then(|a| read.i32(a)).map(f64::from),
            elevation: enhanced.or(altitude.map(u32::from)).map(metres),
            heart_rate: at[5].and_then(|a| read.u8(a)).map(f64::from),
            cadence: at[6].and_then(|a| read.u8(a)).map(f64::from),
            power: at[7].and_then(|a| read.u16(a)).map(f64::from),
            temperature: at[8].and_then(|a| read.i8(a)).map(f64::from),
            distance: at[9].and_then(|a| read.u32(a)).map(|raw| scaled(f64::from(raw), 100.0, 0.0)),
        })
    }
}

struct SessionLayout {
    at: [Option<usize>; 10],
}

impl SessionLayout {
    fn session(&self, read: &Fields) -> Session {
        let at = &self.at;
        let total =
            |slot: usize, scale: f64| at[slot].and_then(|a| read.u32(a)).map(|v| scaled(f64::from(v), scale, 0.0));
        let name = |slot: usize, kind: FieldDataType| at[slot].and_then(|a| read.u8(a)).map(|v| enum_name(kind, v));
        Session {
            distance_m: total(1, 100.0),
            elapsed_s: total(2, 1000.0),
            timer_s: total(3, 1000.0),
            sport: name(4, FieldDataType::Sport),
            sub_sport: name(5, FieldDataType::SubSport),
        }
    }
}

/// An enum's name from the FIT profile (`running`, `trail`), or its number when the profile has none.
fn enum_name(kind: FieldDataType, value: u8) -> String {
    let value = i64::from(value);
    if kind.is_named_variant(value) {
        get_field_variant_as_string(kind, value)
    } else {
        value.to_string()
    }
}

/// FIT's checksum: CRC-16 with the reflected polynomial 0xA001, a byte at a time.
fn crc16(crc: u16, bytes: &[u8]) -> u16 {
    bytes.iter().fold(crc, |crc, &byte| (crc >> 8) ^ CRC_TABLE[usize::from((crc as u8) ^ byte)])
}

const CRC_TABLE: [u16; 256] = {
    let mut table = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        let mut crc = i as u16;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xA001 } else { crc >> 1 };
            bit += 1;
        }
        table[i] = crc;
        i += 1;
    }
    table
};

#[cfg(test)]
pub(super) mod tests {
    /// FIT's checksum a bit at a time, as the FIT SDK describes it.
    pub fn crc(bytes: &[u8]) -> u16 {
        bytes.iter().fold(0u16, |crc, &byte| {
            (0..8).fold(crc ^ u16::from(byte), |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xA001 } else { crc >> 1 })
        })
    }

    #[test]
    fn the_checksum_table_gives_the_sdks_checksum() {
        let bytes: Vec<u8> = (0..2_000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        for end in [0, 1, 2, 13, 255, 2_000] {
            assert_eq!(super::crc16(0, &bytes[..end]), crc(&bytes[..end]));
        }
    }
}
