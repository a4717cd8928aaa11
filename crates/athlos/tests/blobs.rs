//! The file store on a local folder and on a real S3 server (moto, started by
//! scripts/test): streamed writes and reads, missing files, bad keys.

mod support;

use bytes::Bytes;
use futures::{stream, StreamExt};
use platform::blob::{BlobError, BlobStore};
use platform::config::Config;

/// A deterministic 1 MiB chunk number `n`, so content can be checked without keeping it.
fn chunk(n: u32) -> Bytes {
    let seed = n.wrapping_mul(2_654_435_761);
    Bytes::from((0..1024 * 1024u32).map(|i| (i.wrapping_mul(31) ^ seed) as u8).collect::<Vec<u8>>())
}

async fn local() -> (tempfile::TempDir, BlobStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = BlobStore::local(dir.path()).unwrap();
    (dir, store)
}

async fn s3() -> Option<BlobStore> {
    let mut config = Config::default();
    support::use_s3(&mut config).await.then(|| BlobStore::from_config(&config).unwrap())
}

async fn a_large_file_streams_in_and_out(store: BlobStore) {
    const CHUNKS: u32 = 12;
    let upload = stream::iter((0..CHUNKS).map(|n| Ok::<_, std::io::Error>(chunk(n))));
    let size = store.put_stream("workouts/1/original.fit", upload).await.unwrap();
    assert_eq!(size, CHUNKS as u64 * 1024 * 1024);
    assert_eq!(store.size("workouts/1/original.fit").await.unwrap(), size);

    // Read back piece by piece and compare with what was written.
    let mut expected = (0..CHUNKS).flat_map(|n| chunk(n).to_vec());
    let mut read = 0u64;
    let mut body = store.get_stream("workouts/1/original.fit").await.unwrap();
    while let Some(piece) = body.next().await {
        let piece = piece.unwrap();
        for byte in piece.iter() {
            assert_eq!(Some(*byte), expected.next(), "byte {read} differs");
            read += 1;
        }
    }
    assert_eq!(read, size);
    assert_eq!(expected.next(), None);
}

async fn a_failed_upload_leaves_nothing(store: BlobStore) {
    let broken = stream::iter(vec![Ok(chunk(0)), Err(std::io::Error::other("client went away"))]);
    let err = store.put_stream("photos/half.jpg", broken).await.unwrap_err();
    assert!(matches!(err, BlobError::Source(_)), "{err}");
    assert!(matches!(store.size("photos/half.jpg").await, Err(BlobError::NotFound(_))));
}

async fn missing_files_and_bad_keys_are_told_apart(store: BlobStore) {
    assert!(matches!(store.get_stream("nothing/here").await, Err(BlobError::NotFound(_))));
    assert!(matches!(store.put_bytes("../escape", Bytes::from_static(b"x")).await, Err(BlobError::BadKey(_))));
    store.put_bytes("photos/1.jpg", Bytes::from_static(b"jpeg")).await.unwrap();
    store.delete("photos/1.jpg").await.unwrap();
    assert!(matches!(store.size("photos/1.jpg").await, Err(BlobError::NotFound(_))));
    store.delete("photos/1.jpg").await.unwrap();
}

/// A stored file opened to be read from its start (the stored file itself
/// in a folder, a scratch copy from S3): all of it, seekable, and still
/// readable when it is deleted while open.
async fn a_stored_file_opens_whole_and_outlives_its_deletion(store: BlobStore) {
    use std::io::{Read, Seek, SeekFrom};
    const CHUNKS: u32 = 3;
    let upload = stream::iter((0..CHUNKS).map(|n| Ok::<_, std::io::Error>(chunk(n))));
    store.put_stream("users/1/training/2/walk.gpx", upload).await.unwrap();
    let mut file = store.open("users/1/training/2/walk.gpx").await.unwrap();
    store.delete("users/1/training/2/walk.gpx").await.unwrap();
    let mut read = Vec::new();
    file.read_to_end(&mut read).unwrap();
    assert_eq!(read, (0..CHUNKS).flat_map(|n| chunk(n).to_vec()).collect::<Vec<u8>>());
    file.seek(SeekFrom::Start(1024 * 1024)).unwrap();
    let mut second = vec![0; 16];
    file.read_exact(&mut second).unwrap();
    assert_eq!(second, chunk(1)[..16]);

    assert!(matches!(store.open("users/1/training/2/walk.gpx").await, Err(BlobError::NotFound(_))));
    assert!(matches!(store.open("../escape").await, Err(BlobError::BadKey(_))));
}

macro_rules! on_every_store {
    ($($name:ident),* $(,)?) => {
        mod local_folder {
            $(#[tokio::test] async fn $name() { let (_dir, store) = super::local().await; super::$name(store).await })*
        }
        mod s3 {
            $(#[tokio::test] async fn $name() { if let Some(store) = super::s3().await { super::$name(store).await } })*
        }
    };
}

on_every_store!(
    a_large_file_streams_in_and_out,
    a_failed_upload_leaves_nothing,
    missing_files_and_bad_keys_are_told_apart,
    a_stored_file_opens_whole_and_outlives_its_deletion,
);
