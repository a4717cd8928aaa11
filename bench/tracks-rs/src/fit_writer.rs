//! A FIT activity of any length along the course of generate_gpx.py, with
//! the record fields a running watch writes each second (position, distance,
//! speed, altitude, heart rate, cadence, power, temperature), so FIT reading
//! can be measured on files as large as the GPX ones.

/// FIT times count from 1989-12-31T00:00:00Z.
const FIT_EPOCH: u32 = 631_065_600;
const START: u32 = 1_700_000_000 - FIT_EPOCH;

/// FIT's base types used here.
const ENUM: u8 = 0x00;
const SINT8: u8 = 0x01;
const UINT8: u8 = 0x02;
const UINT16: u8 = 0x84;
const SINT32: u8 = 0x85;
const UINT32: u8 = 0x86;

pub fn write(points: u32, path: &str) {
    let mut data = Vec::new();
    file_id(&mut data);
    record_definition(&mut data);
    let mut distance = 0.0;
    let mut before = position(0);
    for i in 0..points {
        let now = position(i);
        let step = metres(before, now);
        distance += step;
        record(&mut data, i, now, distance, step);
        before = now;
    }
    session(&mut data, points, distance);
    std::fs::write(path, framed(data)).expect("writable path");
}

/// Latitude and longitude of the i-th point, in degrees.
fn position(i: u32) -> (f64, f64) {
    let i = f64::from(i);
    (46.0 + i * 0.00003, 14.5 + 0.01 * (i / 300.0).sin())
}

/// Near enough for a device's distance: a flat plane over a few metres.
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let north = (b.0 - a.0) * 111_320.0;
    let east = (b.1 - a.1) * 111_320.0 * a.0.to_radians().cos();
    north.hypot(east)
}

fn semicircles(degrees: f64) -> i32 {
    (degrees * 2_147_483_648.0 / 180.0).round() as i32
}

/// A definition message: `local` stands for `global` with these
/// (field number, size, base type) fields, little-endian.
fn define(data: &mut Vec<u8>, local: u8, global: u16, fields: &[(u8, u8, u8)]) {
    data.extend([0x40 | local, 0, 0]);
    data.extend(global.to_le_bytes());
    data.push(fields.len() as u8);
    for &(number, size, base) in fields {
        data.extend([number, size, base]);
    }
}

fn file_id(data: &mut Vec<u8>) {
    // type (4 = activity), manufacturer (1 = Garmin), time_created.
    define(data, 0, 0, &[(0, 1, ENUM), (1, 2, UINT16), (4, 4, UINT32)]);
    data.extend([0, 4]);
    data.extend(1u16.to_le_bytes());
    data.extend(START.to_le_bytes());
}

fn record_definition(data: &mut Vec<u8>) {
    let fields = [
        (253, 4, UINT32), // timestamp
        (0, 4, SINT32),   // position_lat
        (1, 4, SINT32),   // position_long
        (5, 4, UINT32),   // distance, cm
        (73, 4, UINT32),  // enhanced_speed, mm/s
        (78, 4, UINT32),  // enhanced_altitude, 1/5 m + 500
        (7, 2, UINT16),   // power
        (3, 1, UINT8),    // heart_rate
        (4, 1, UINT8),    // cadence
        (13, 1, SINT8),   // temperature
    ];
    define(data, 1, 20, &fields);
}

fn record(data: &mut Vec<u8>, i: u32, (lat, lon): (f64, f64), distance: f64, speed: f64) {
    let elevation = 300.0 + 50.0 * (f64::from(i) / 1000.0).sin();
    data.push(1);
    data.extend((START + i).to_le_bytes());
    data.extend(semicircles(lat).to_le_bytes());
    data.extend(semicircles(lon).to_le_bytes());
    data.extend(((distance * 100.0).round() as u32).to_le_bytes());
    data.extend(((speed * 1000.0).round() as u32).to_le_bytes());
    data.extend((((elevation + 500.0) * 5.0).round() as u32).to_le_bytes());
    data.extend((200 + (i % 50) as u16).to_le_bytes());
    data.extend([140 + (i % 20) as u8, 85 + (i % 5) as u8, 18 + (i % 3) as u8]);
}

fn session(data: &mut Vec<u8>, points: u32, distance: f64) {
    let fields = [
        (253, 4, UINT32), // timestamp
        (2, 4, UINT32),   // start_time
        (7, 4, UINT32),   // total_elapsed_time, ms
        (8, 4, UINT32),   // total_timer_time, ms
        (9, 4, UINT32),   // total_distance, cm
        (5, 1, ENUM),     // sport (1 = running)
        (6, 1, ENUM),     // sub_sport (0 = generic)
    ];
    define(data, 2, 18, &fields);
    let seconds = points.saturating_sub(1);
    data.push(2);
    for value in [START + seconds, START, seconds * 1000, seconds * 1000, (distance * 100.0).round() as u32] {
        data.extend(value.to_le_bytes());
    }
    data.extend([1, 0]);
}

/// The 14-byte header with its checksum, the messages, the file's checksum.
fn framed(data: Vec<u8>) -> Vec<u8> {
    let mut file = vec![14, 0x20];
    file.extend(2132u16.to_le_bytes());
    file.extend((data.len() as u32).to_le_bytes());
    file.extend(b".FIT");
    file.extend(crc(&file).to_le_bytes());
    file.extend(data);
    file.extend(crc(&file).to_le_bytes());
    file
}

/// FIT's checksum: CRC-16 with the reflected polynomial 0xA001, from zero.
fn crc(bytes: &[u8]) -> u16 {
    bytes.iter().fold(0u16, |crc, &byte| {
        (0..8).fold(crc ^ u16::from(byte), |crc, _| if crc & 1 == 1 { (crc >> 1) ^ 0xA001 } else { crc >> 1 })
    })
}
