//! Workouts from activity files: uploads read at once or by a job, files
//! refused with nothing kept, GPX and original export, photos with
//! thumbnails, and bulk import of a Strava-style archive. On SQLite and
//! PostgreSQL; files on the local folder and on the test S3 server.

mod support;

use std::io::Write;
use std::time::Duration;

use athlos::cli::ServeArgs;
use serde_json::{json, Value};
use support::{corpus_file, events_about, eventually, expect_problem, Backend, TestApp};

on_every_database!(
    an_upload_on_the_local_folder_is_analysed_exported_and_deleted,
    an_upload_on_s3_is_analysed_exported_and_deleted,
    a_fit_file_and_a_gzipped_gpx_are_read_with_their_sport,
    files_that_are_not_workouts_are_refused_and_nothing_is_kept,
    large_files_are_read_by_a_job_while_the_workout_shows_processing,
    photos_on_the_local_folder_get_thumbnails_and_follow_privacy,
    photos_on_s3_get_thumbnails_and_follow_privacy,
    a_strava_archive_is_imported_by_a_job_once,
    the_same_training_uploaded_again_is_refused_with_the_one_there,
);

const LAKE: &str = "gpx/cerknicko-jezero.gpx";

fn workout_path(workout: &Value) -> String {
    format!("/api/v1/workouts/{}", workout["id"].as_str().unwrap())
}

async fn an_upload_on_the_local_folder_is_analysed_exported_and_deleted(backend: Backend) {
    upload_analyse_export_delete(TestApp::spawn(backend).await).await;
}

async fn an_upload_on_s3_is_analysed_exported_and_deleted(backend: Backend) {
    if let Some(app) = TestApp::spawn_on_s3(backend).await {
        upload_analyse_export_delete(app).await;
    }
}

/// The track with every time a year earlier (not a duplicate of it).
fn a_year_earlier(gpx: &[u8]) -> Vec<u8> {
    let text = String::from_utf8(gpx.to_vec()).unwrap();
    let mut shifted = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("<time>") {
        let (head, tail) = rest.split_at(at + "<time>".len());
        let year: i32 = tail[..4].parse().unwrap();
        shifted.push_str(head);
        shifted.push_str(&(year - 1).to_string());
        rest = &tail[4..];
    }
    shifted.push_str(rest);
    shifted.into_bytes()
}

async fn upload_analyse_export_delete(app: TestApp) {
    let (token, me) = app.someone("uploader").await;
    let original = corpus_file(LAKE);
    let uploaded = app
        .upload_as(&token, "C:\\runs\\lake.gpx", original.clone(), &[("sport", "hiking"), ("privacy", "public")])
        .await;
    assert_eq!(uploaded.status(), 201, "{}", uploaded.text().await.unwrap());
    let workout: Value = uploaded.json().await.unwrap();
    assert_eq!((workout["state"].as_str(), workout["sport"].as_str()), (Some("ready"), Some("hiking")));
    let sha256 = "8bad699d4c32633dd65d98c0c8ae6372da5ed01c24f7e3afd9f6b642a9976671";
    assert_eq!(
        workout["file"],
        json!({ "format": "gpx", "name": "lake.gpx", "size": original.len(), "sha256": sha256 })
    );
    assert!((workout["distance_m"].as_f64().unwrap() - 4576.9).abs() < 1.0, "{workout}");
    assert!(workout["elevation_gain_m"].as_f64().unwrap() > 0.0);
    assert!(workout["moving_s"].as_f64().unwrap() <= workout["duration_s"].as_f64().unwrap());

    let full: Value = app.get(&workout_path(&workout)).await.json().await.unwrap();
    let analysis = &full["analysis"];
    assert_eq!(analysis["splits_km"].as_array().unwrap().len(), 5);
    assert!(analysis["best_efforts"].as_array().unwrap().iter().any(|e| e["distance_m"] == 1000.0));
    assert!(!analysis["shape"].as_array().unwrap().is_empty());
    assert!(analysis["series"].as_array().unwrap().len() > 100);
    assert_eq!(full["owner"]["id"], me.as_str());
    // Read again (its analysis now kept in memory), it is the same, and
    // compressed it is the same bytes.
    let plain = app.get(&workout_path(&workout)).await.bytes().await.unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap(), full);
    let zipped =
        app.client.get(app.url(&workout_path(&workout))).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    assert_eq!(zipped.headers()["vary"], "accept-encoding");
    let zipped = zipped.bytes().await.unwrap();
    assert!(zipped.len() * 3 < plain.len(), "{} bytes compressed of {}", zipped.len(), plain.len());
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&zipped[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain);
    let folder = format!("users/{me}/training/{}", workout["id"].as_str().unwrap());
    assert_eq!(app.stored_files(&folder).await, [format!("{folder}/original.gpx")]);
    assert_eq!(events_about(&app, workout["id"].as_str().unwrap()).await, ["WorkoutRecorded"]);

    let copy = app.get(&format!("{}/original", workout_path(&workout))).await;
    assert_eq!(copy.status(), 200);
    assert_eq!(copy.headers()["content-disposition"], "attachment; filename=\"lake.gpx\"");
    assert_eq!(copy.bytes().await.unwrap().to_vec(), original);

    let gpx = app.get(&format!("{}/gpx", workout_path(&workout))).await;
    assert_eq!(gpx.headers()["content-type"], "application/gpx+xml");
    let exported = tracks::read_bytes(&gpx.bytes().await.unwrap()).expect("the export reads back");
    let source = tracks::read_bytes(&original).unwrap();
    assert_eq!(exported.point_count(), source.point_count());
    assert_eq!(exported.points().last().unwrap().time, source.points().last().unwrap().time);

    let records: Value = app.get_as(&token, "/api/v1/records?sport=hiking").await.json().await.unwrap();
    let kilometre = records[0]["best_efforts"].as_array().unwrap().iter().find(|e| e["distance_m"] == 1000.0).unwrap();
    assert_eq!(kilometre["workout_id"], workout["id"]);

    // The same walk a year earlier ties on every effort: the earlier holds each record, once.
    let earlier = app.upload_as(&token, "lake.gpx", a_year_earlier(&original), &[("sport", "hiking")]).await;
    assert_eq!(earlier.status(), 201, "{}", earlier.text().await.unwrap());
    let earlier: Value = earlier.json().await.unwrap();
    let records: Value = app.get_as(&token, "/api/v1/records?sport=hiking").await.json().await.unwrap();
    let kilometres: Vec<&Value> =
        records[0]["best_efforts"].as_array().unwrap().iter().filter(|e| e["distance_m"] == 1000.0).collect();
    assert_eq!(kilometres.len(), 1, "{records}");
    assert_eq!(kilometres[0]["workout_id"], earlier["id"]);
    let removed = app.client.delete(app.url(&workout_path(&earlier))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(removed.status(), 204);

    // A file workout keeps the file's numbers.
    let refused = app.patch_as(&token, &workout_path(&workout), json!({ "distance_m": 9000.0 })).await;
    expect_problem(refused, 422, "invalid-input").await;

    // Its analysis kept, the workout's privacy still decides who sees it.
    let private = app.patch_as(&token, &workout_path(&workout), json!({ "privacy": "private" })).await;
    assert_eq!(private.status(), 200);
    assert_eq!(app.get(&workout_path(&workout)).await.status(), 404, "a visitor no longer sees it");
    let own: Value = app.get_as(&token, &workout_path(&workout)).await.json().await.unwrap();
    assert_eq!(own["analysis"], full["analysis"]);
    let deleted = app.client.delete(app.url(&workout_path(&workout))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.get_as(&token, &workout_path(&workout)).await.status(), 404, "gone, though its analysis was read");
    assert!(app.stored_files(&folder).await.is_empty(), "the original goes with the workout");
    let records: Value = app.get_as(&token, "/api/v1/records").await.json().await.unwrap();
    assert_eq!(records, json!([]));
}

async fn a_fit_file_and_a_gzipped_gpx_are_read_with_their_sport(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, _) = app.someone("garmin").await;
    let fit = app.upload_as(&token, "run.fit", corpus_file("fit/garmin-fenix-5-run.fit"), &[]).await;
    assert_eq!(fit.status(), 201);
    let fit: Value = fit.json().await.unwrap();
    assert_eq!((fit["sport"].as_str(), fit["file"]["format"].as_str()), (Some("running"), Some("fit")));
    assert!((fit["distance_m"].as_f64().unwrap() - 157.56).abs() < 1.6, "within 1 % of the device: {fit}");
    assert!(fit["max_heart_rate"].as_i64().unwrap() > 0);

    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&corpus_file(LAKE)).unwrap();
    let packed = app.upload_as(&token, "lake.gpx.gz", gz.finish().unwrap(), &[("title", "Lake loop")]).await;
    assert_eq!(packed.status(), 201);
    let packed: Value = packed.json().await.unwrap();
    assert_eq!((packed["title"].as_str(), packed["sport"].as_str()), (Some("Lake loop"), Some("other")));
    assert_eq!(packed["file"]["format"], "gpx");
    assert!((packed["distance_m"].as_f64().unwrap() - 4576.9).abs() < 1.0);

    // Each page shows its own workout's analysis, read afresh or kept.
    let page = |workout: Value| {
        let (app, token) = (&app, &token);
        async move { app.get_as(token, &workout_path(&workout)).await.json::<Value>().await.unwrap()["analysis"].clone() }
    };
    let (fit_analysis, gpx_analysis) = (page(fit.clone()).await, page(packed.clone()).await);
    assert_ne!(fit_analysis, gpx_analysis);
    assert_eq!(gpx_analysis["splits_km"].as_array().unwrap().len(), 5);
    for _ in 0..2 {
        assert_eq!(page(fit.clone()).await, fit_analysis);
        assert_eq!(page(packed.clone()).await, gpx_analysis);
    }
}

async fn files_that_are_not_workouts_are_refused_and_nothing_is_kept(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.max_upload_bytes = 30_000).await;
    let (token, me) = app.someone("refused").await;
    let lake = corpus_file(LAKE);
    let cut = lake[..lake.len() / 2].to_vec();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "notes.txt",
            b"just some words, not a track".to_vec(),
            "unreadable-activity-file",
            "not a GPX, TCX or FIT file",
        ),
        ("settings.fit", corpus_file("fit/Settings.fit"), "unreadable-activity-file", "settings.fit: "),
        ("cut.gpx", cut, "unreadable-activity-file", "cut.gpx: "),
        (
            "waypoints.gpx",
            b"<gpx version=\"1.1\"><wpt lat=\"1\" lon=\"2\"/></gpx>".to_vec(),
            "unreadable-activity-file",
            "no",
        ),
    ];
    for (name, bytes, kind, says) in cases {
        let refused = expect_problem(app.upload_as(&token, name, bytes, &[]).await, 422, kind).await;
        assert!(refused["detail"].as_str().unwrap().contains(says), "{name}: {refused}");
    }
    let too_large =
        expect_problem(app.upload_as(&token, "lake.gpx", lake.clone(), &[]).await, 413, "file-too-large").await;
    assert!(too_large["detail"].as_str().unwrap().contains("ATHLOS_MAX_UPLOAD_BYTES"));
    let small = corpus_file("fit/garmin-fenix-5-run.fit");
    let unknown_sport = app.upload_as(&token, "run.fit", small.clone(), &[("sport", "quidditch")]).await;
    assert_eq!(expect_problem(unknown_sport, 422, "invalid-input").await["field"], "sport");
    let bad_privacy = app.upload_as(&token, "run.fit", small.clone(), &[("privacy", "friends")]).await;
    assert_eq!(expect_problem(bad_privacy, 422, "invalid-input").await["field"], "privacy");
    let form = reqwest::multipart::Form::new().text("title", "no file");
    let no_file =
        app.client.post(app.url("/api/v1/workouts")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(expect_problem(no_file, 422, "invalid-input").await["field"], "file");

    assert!(app.stored_files(&format!("users/{me}")).await.is_empty(), "no file is kept");
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"], json!([]));
    assert_eq!(support::event_count(&app).await, 0, "no event for what was refused");
}

async fn large_files_are_read_by_a_job_while_the_workout_shows_processing(backend: Backend) {
    let args = ServeArgs { no_worker: true, ..ServeArgs::default() };
    let app = TestApp::spawn_with_args(backend, |c| c.track_inline_bytes = 1024, args).await;
    let (token, _) = app.someone("patient").await;
    let uploaded = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[("sport", "walking")]).await;
    assert_eq!(uploaded.status(), 202);
    let workout: Value = uploaded.json().await.unwrap();
    assert_eq!((workout["state"].as_str(), workout["title"].as_str()), (Some("processing"), Some("lake.gpx")));
    let mut broken = b"<?xml version=\"1.0\"?><gpx version=\"1.1\"><trk><trkseg>".to_vec();
    broken.extend(
        std::iter::repeat_n(
            b"<trkpt lat=\"46.1\" lon=\"14.2\"><time>2024-01-01T00:00:00Z</time></trkpt>".as_slice(),
            40,
        )
        .flatten(),
    );
    broken.extend(b"<trkpt lat=\"north\" lon=\"14.2\"/></trkseg></trk></gpx>");
    let broken: Value = app.upload_as(&token, "broken.gpx", broken, &[]).await.json().await.unwrap();
    assert_eq!(broken["state"], "processing");
    assert!(events_about(&app, workout["id"].as_str().unwrap()).await.is_empty(), "recorded once read, not before");
    // What the person changes while the file waits is kept when the job is done.
    let changes = json!({ "privacy": "public", "notes": "changed while waiting" });
    assert_eq!(app.patch_as(&token, &workout_path(&workout), changes).await.status(), 200);

    app.start_worker();
    let read = || async {
        let now: Value = app.get_as(&token, &workout_path(&workout)).await.json().await.unwrap();
        (now["state"] != "processing").then_some(now)
    };
    eventually("the job reads the file", Duration::from_secs(30), || async { read().await.is_some() }).await;
    let done = read().await.unwrap();
    assert_eq!((done["state"].as_str(), done["sport"].as_str()), (Some("ready"), Some("walking")));
    assert_eq!(done["title"], "Afternoon Walk", "not the device's ACTIVE LOG: the time of day where it started");
    assert_eq!((done["privacy"].as_str(), done["notes"].as_str()), (Some("public"), Some("changed while waiting")));
    assert_eq!(done["file"]["format"], "gpx");
    assert!((done["distance_m"].as_f64().unwrap() - 4576.9).abs() < 1.0);
    assert_eq!(done["analysis"]["splits_km"].as_array().unwrap().len(), 5);
    assert_eq!(events_about(&app, workout["id"].as_str().unwrap()).await, ["WorkoutRecorded"]);

    let path = workout_path(&broken);
    eventually("the broken file fails", Duration::from_secs(30), || async {
        let now: Value = app.get_as(&token, &path).await.json().await.unwrap();
        now["state"] == "failed"
    })
    .await;
    let failed: Value = app.get_as(&token, &path).await.json().await.unwrap();
    assert!(failed["failure"].as_str().unwrap().starts_with("broken.gpx: "), "{failed}");
    assert!(failed["failure"].as_str().unwrap().contains("lat"), "{failed}");
}

async fn photos_on_the_local_folder_get_thumbnails_and_follow_privacy(backend: Backend) {
    photos(TestApp::spawn(backend).await).await;
}

async fn photos_on_s3_get_thumbnails_and_follow_privacy(backend: Backend) {
    if let Some(app) = TestApp::spawn_on_s3(backend).await {
        photos(app).await;
    }
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

async fn add_photo(app: &TestApp, token: &str, workout: &Value, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part("photo", reqwest::multipart::Part::bytes(bytes).file_name("p.png"));
    let url = app.url(&format!("{}/photos", workout_path(workout)));
    app.client.post(url).bearer_auth(token).multipart(form).send().await.unwrap()
}

async fn photos(app: TestApp) {
    let (token, me) = app.someone("photographer").await;
    let (other, _) = app.someone("stranger").await;
    let body = json!({ "sport": "hiking", "started_at": "2026-11-20T07:00:00Z", "duration_s": 7200 });
    let workout: Value = app.post_as(&token, "/api/v1/workouts", body).await.json().await.unwrap();
    let picture = png(1000, 500);
    let added = add_photo(&app, &token, &workout, picture.clone()).await;
    assert_eq!(added.status(), 201);
    let photo: Value = added.json().await.unwrap();
    assert_eq!((photo["width"].as_i64(), photo["height"].as_i64()), (Some(1000), Some(500)));
    let photo_path = format!("{}/photos/{}", workout_path(&workout), photo["id"].as_str().unwrap());

    eventually("the thumbnail is made", Duration::from_secs(30), || async {
        let list: Value = app.get_as(&token, &format!("{}/photos", workout_path(&workout))).await.json().await.unwrap();
        list[0]["thumbnail_ready"] == true
    })
    .await;
    let thumbnail = app.get_as(&token, &format!("{photo_path}/thumbnail")).await;
    assert_eq!(thumbnail.headers()["content-type"], "image/jpeg");
    let small = image::load_from_memory(&thumbnail.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (480, 240));
    let full = app.get_as(&token, &photo_path).await;
    assert_eq!(full.headers()["content-type"], "image/png");
    assert_eq!(full.bytes().await.unwrap().to_vec(), picture);

    // The workout is private: its photos are not there for anyone else.
    expect_problem(app.get_as(&other, &photo_path).await, 404, "not-found").await;
    expect_problem(app.get(&format!("{photo_path}/thumbnail")).await, 404, "not-found").await;
    expect_problem(add_photo(&app, &other, &workout, png(10, 10)).await, 404, "not-found").await;
    let refused =
        expect_problem(add_photo(&app, &token, &workout, b"GIF89a not really".to_vec()).await, 422, "invalid-input")
            .await;
    assert_eq!(refused["field"], "photo");
    let folder = format!("users/{me}/training/{}/photos", workout["id"].as_str().unwrap());
    assert_eq!(app.stored_files(&folder).await.len(), 2, "the photo and its thumbnail, not the refused file");

    let deleted = app.client.delete(app.url(&photo_path)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(deleted.status(), 204);
    assert!(app.stored_files(&folder).await.is_empty());
    expect_problem(app.get_as(&token, &photo_path).await, 404, "not-found").await;
}

/// A ZIP shaped like Strava's export: `activities.csv` and the files it names.
fn strava_archive() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    let csv = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Filename\n\
               1,\"May 17, 2009, 9:00:00 AM\",Around the lake,Hike,\"Muddy, but \"\"worth it\"\"\",7190,activities/1.gpx.gz\n\
               2,\"Jan 1, 2017, 9:00:00 AM\",Short run,Run,,57,activities/2.fit\n\
               3,\"Jan 2, 2017, 9:00:00 AM\",Broken,Run,,60,activities/3.gpx\n\
               4,\"Jan 3, 2017, 9:00:00 AM\",Gym,Weight Training,,3600,\n";
    zip.start_file("activities.csv", options).unwrap();
    zip.write_all(csv.as_bytes()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&corpus_file(LAKE)).unwrap();
    for (name, bytes) in [
        ("activities/1.gpx.gz", gz.finish().unwrap()),
        ("activities/2.fit", corpus_file("fit/garmin-fenix-5-run.fit")),
        ("activities/3.gpx", b"<gpx><trk><trkseg><trkpt lat=".to_vec()),
        ("media/photo.jpg", vec![0xff, 0xd8, 0xff]),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn a_strava_archive_is_imported_by_a_job_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("strava").await;
    // Imported workouts take the account's default privacy.
    app.patch_as(&token, "/api/v1/account", json!({ "default_privacy": "followers" })).await;
    let status = app.import_archive(&token, strava_archive()).await;
    assert_eq!((status["total"].as_i64(), status["processed"].as_i64()), (Some(3), Some(3)));
    assert_eq!((status["imported"].as_i64(), status["duplicates"].as_i64()), (Some(2), Some(0)));
    assert_eq!(status["problems"].as_array().unwrap().len(), 1);
    assert_eq!(status["problems"][0]["file"], "activities/3.gpx");

    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let lake = items.iter().find(|w| w["title"] == "Around the lake").expect("named from activities.csv");
    assert_eq!((lake["sport"].as_str(), lake["notes"].as_str()), (Some("hiking"), Some("Muddy, but \"worth it\"")));
    assert_eq!(lake["privacy"], "followers");
    let run = items.iter().find(|w| w["title"] == "Short run").unwrap();
    assert_eq!(run["sport"], "running");
    assert!(app.stored_files(&format!("users/{me}/training/imports")).await.is_empty(), "the archive is not kept");

    let again = app.import_archive(&token, strava_archive()).await;
    assert_eq!((again["imported"].as_i64(), again["duplicates"].as_i64()), (Some(0), Some(2)));
    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "importing twice makes no copies");

    let (other, _) = app.someone("nosy").await;
    let path = format!("/api/v1/workouts/imports/{}", status["id"].as_str().unwrap());
    expect_problem(app.get_as(&other, &path).await, 404, "not-found").await;
    let form = reqwest::multipart::Form::new().part("archive", reqwest::multipart::Part::bytes(corpus_file(LAKE)));
    let not_zip =
        app.client.post(app.url("/api/v1/workouts/imports")).bearer_auth(&token).multipart(form).send().await.unwrap();
    assert_eq!(expect_problem(not_zip, 422, "invalid-input").await["field"], "archive");
}

/// The same file again, or the same training in another file (here the
/// same track gzipped), is a 409 naming the training already there, and
/// nothing is added; another person may upload the same file.
async fn the_same_training_uploaded_again_is_refused_with_the_one_there(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (token, me) = app.someone("twice").await;
    let first: Value = app.upload_as(&token, "lake.gpx", corpus_file(LAKE), &[]).await.json().await.unwrap();
    let again = app.upload_as(&token, "lake-again.gpx", corpus_file(LAKE), &[("title", "Again")]).await;
    let problem = expect_problem(again, 409, "duplicate-workout").await;
    assert_eq!(problem["existing_id"], first["id"]);
    let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    packed.write_all(&corpus_file(LAKE)).unwrap();
    let gzipped = app.upload_as(&token, "lake.gpx.gz", packed.finish().unwrap(), &[]).await;
    assert_eq!(expect_problem(gzipped, 409, "duplicate-workout").await["existing_id"], first["id"]);

    let page: Value = app.get_as(&token, "/api/v1/workouts").await.json().await.unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    let files = app.stored_files(&format!("users/{me}/training")).await;
    assert_eq!(files.len(), 1, "the repeats kept no file: {files:?}");
    let (other, _) = app.someone("other").await;
    assert_eq!(app.upload_as(&other, "lake.gpx", corpus_file(LAKE), &[]).await.status(), 201);
}
