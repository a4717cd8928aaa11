//! Responses built of pieces, where a large piece that never changes was
//! compressed once, when it was first read, rather than on every request
//! that sends it. A deflate compressor flushed to a byte boundary leaves
//! blocks that stand on their own, so the pieces' blocks are joined as
//! they are, and the gzip checksum of the whole is combined from the
//! pieces' own. The response compression layer leaves a response that is
//! already encoded alone.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use flate2::{Compress, Compression, Crc, FlushCompress, Status};

/// The level the response compression layer uses (see `http::router`).
const LEVEL: u32 = 2;

/// A piece of a body with its compressed form.
pub struct Precompressed {
    plain: Bytes,
    /// Raw deflate blocks, flushed to a byte boundary and not final.
    deflated: Vec<u8>,
    crc: Crc,
}

impl Precompressed {
    pub fn new(plain: Bytes) -> Self {
        let mut deflated = Vec::new();
        deflate_into(&mut compressor(), &plain, FlushCompress::Sync, &mut deflated);
        deflated.shrink_to_fit();
        let mut crc = Crc::new();
        crc.update(&plain);
        Self { plain, deflated, crc }
    }

    pub fn plain(&self) -> &Bytes {
        &self.plain
    }

    /// The bytes it holds, plain and compressed.
    pub fn size(&self) -> usize {
        self.plain.len() + self.deflated.len()
    }
}

/// One piece of a body: compressed as it is sent, or ahead of time.
pub enum Piece<'a> {
    Plain(&'a [u8]),
    Kept(&'a Precompressed),
}

/// A JSON response of `pieces` in order, gzip'd when the request accepts it.
pub fn json(pieces: &[Piece<'_>], request: &HeaderMap) -> Response {
    let (body, encoding) = if accepts_gzip(request) { (gzip(pieces), Some("gzip")) } else { (plain(pieces), None) };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    response
}

fn plain(pieces: &[Piece<'_>]) -> Vec<u8> {
    let mut body = Vec::with_capacity(pieces.iter().map(|p| p.plain().len()).sum());
    for piece in pieces {
        body.extend_from_slice(piece.plain());
    }
    body
}

/// A gzip member (RFC 1952) whose deflate stream is the pieces' blocks in
/// order, the last one final. One compressor serves every plain piece,
/// reset between them: its state is the larger part of compressing a small one.
fn gzip(pieces: &[Piece<'_>]) -> Vec<u8> {
    const HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut body = Vec::with_capacity(HEADER.len() + pieces.iter().map(|p| p.plain().len() / 4).sum::<usize>());
    body.extend_from_slice(&HEADER);
    let mut compressor = compressor();
    let mut crc = Crc::new();
    for piece in pieces {
        match piece {
            Piece::Plain(bytes) => {
                deflate_into(&mut compressor, bytes, FlushCompress::Sync, &mut body);
                compressor.reset();
                crc.update(bytes);
            }
            Piece::Kept(kept) => {
                body.extend_from_slice(&kept.deflated);
                crc.combine(&kept.crc);
            }
        }
    }
    deflate_into(&mut compressor, &[], FlushCompress::Finish, &mut body);
    body.extend_from_slice(&crc.sum().to_le_bytes());
    body.extend_from_slice(&crc.amount().to_le_bytes());
    body
}

/// A raw deflate compressor (no zlib header) at the layer's level.
fn compressor() -> Compress {
    Compress::new(Compression::new(LEVEL), false)
}

/// Raw deflate of `bytes` appended to `out`: flushed to a byte boundary
/// (`Sync`) so that more blocks may follow, or ending in the final block
/// (`Finish`).
fn deflate_into(compressor: &mut Compress, mut bytes: &[u8], flush: FlushCompress, out: &mut Vec<u8>) {
    loop {
        out.reserve(bytes.len() / 2 + 64);
        let before = compressor.total_in();
        let status = compressor.compress_vec(bytes, out, flush).expect("compressing into memory");
        bytes = &bytes[(compressor.total_in() - before) as usize..];
        // A flush is whole once the compressor stops short of the room it had.
        let flushed = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => out.len() < out.capacity(),
        };
        if bytes.is_empty() && flushed {
            return;
        }
    }
}

impl Piece<'_> {
    fn plain(&self) -> &[u8] {
        match self {
            Piece::Plain(bytes) => bytes,
            Piece::Kept(kept) => &kept.plain,
        }
    }
}

/// Whether `Accept-Encoding` (every line of it) names gzip, or only `*`,
/// without refusing it with `q=0`.
fn accepts_gzip(request: &HeaderMap) -> bool {
    let lines = request.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok());
    let codings: Vec<(&str, bool)> = lines
        .flat_map(|line| line.split(','))
        .map(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                let q = p.strip_prefix("q=").or_else(|| p.strip_prefix("Q="));
                q.is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            (name, refused)
        })
        .collect();
    let named = |names: &[&str]| {
        let mut matching = codings.iter().filter(|(name, _)| names.iter().any(|n| name.eq_ignore_ascii_case(n)));
        matching.clone().next().map(|_| matching.any(|(_, refused)| !refused))
    };
    named(&["gzip", "x-gzip"]).or_else(|| named(&["*"])).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn unzipped(body: &[u8]) -> Vec<u8> {
        let mut plain = Vec::new();
        flate2::read::GzDecoder::new(body).read_to_end(&mut plain).expect("a valid gzip member");
        plain
    }

    fn headers(accept: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(accept).unwrap());
        headers
    }

    #[test]
    fn pieces_gzip_to_exactly_their_plain_bytes() {
        let large: Vec<u8> = (0..200_000u32).flat_map(|i| format!("{},", i % 977).into_bytes()).collect();
        let kept = Precompressed::new(Bytes::from(large.clone()));
        let empty = Precompressed::new(Bytes::new());
        let cases: Vec<Vec<Piece<'_>>> = vec![
            vec![Piece::Plain(b"{\"a\":"), Piece::Kept(&kept), Piece::Plain(b"}")],
            vec![Piece::Kept(&kept), Piece::Kept(&kept)],
            vec![Piece::Plain(&large), Piece::Kept(&kept), Piece::Plain(&large)],
            vec![Piece::Plain(b""), Piece::Kept(&empty), Piece::Plain(b"")],
            vec![],
        ];
        for pieces in cases {
            let whole = plain(&pieces);
            let body = gzip(&pieces);
            assert_eq!(unzipped(&body), whole);
            assert!(body.len() < whole.len() / 3 + 64, "compressed: {} of {}", body.len(), whole.len());
        }
    }

    #[test]
    fn gzip_only_when_the_request_accepts_it() {
        for accept in ["gzip", "br, gzip;q=0.5", "GZIP", "*", "deflate, x-gzip", "x-gzip;q=0, gzip"] {
            assert!(accepts_gzip(&headers(accept)), "{accept}");
        }
        for accept in ["", "br", "identity", "gzip;q=0", "gzip; q=0.0, br", "gzipped", "gzip;q=0, *", "gzip;Q=0"] {
            assert!(!accepts_gzip(&headers(accept)), "{accept}");
        }
        assert!(!accepts_gzip(&HeaderMap::new()));
        let mut two_lines = headers("br");
        two_lines.append(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
        assert!(accepts_gzip(&two_lines));
    }

    #[test]
    fn a_response_says_how_it_is_encoded() {
        let kept = Precompressed::new(Bytes::from_static(b"[1,2,3]"));
        let pieces = [Piece::Plain(b"{\"x\":"), Piece::Kept(&kept), Piece::Plain(b"}")];
        let zipped = json(&pieces, &headers("gzip, br"));
        assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");
        assert_eq!(zipped.headers()[header::VARY], "accept-encoding");
        let plain = json(&pieces, &HeaderMap::new());
        assert!(!plain.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(plain.headers()[header::CONTENT_TYPE], "application/json");
    }
}
