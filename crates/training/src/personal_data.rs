//! A person's workouts in their data export (JSON, original files, photos).
//! Erasing them when the account goes is `erasure`'s, on `UserDeleted`.

use futures::future::BoxFuture;
use platform::personal_data::{Archive, PersonalData, PersonalDataError};

use crate::workouts::store;
use crate::Training;

pub struct TrainingData(pub Training);

impl PersonalData for TrainingData {
    fn export<'a>(
        &'a self,
        user_id: &'a str,
        archive: &'a mut Archive,
    ) -> BoxFuture<'a, Result<(), PersonalDataError>> {
        Box::pin(async move {
            self.0.export_into(user_id, archive).await.map_err(|e| PersonalDataError::Other(e.to_string()))
        })
    }
}

impl Training {
    async fn export_into(&self, user_id: &str, archive: &mut Archive) -> crate::error::Result<()> {
        let ids = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::ids_of_user(&mut conn, user_id).await?
        };
        let mut workouts = Vec::with_capacity(ids.len());
        for id in &ids {
            let workout = self.workout_for(Some(user_id), id).await?;
            if let (Some(key), Some(file)) = (&workout.file_key, &workout.file) {
                let extension = key.rsplit('.').next().unwrap_or(&file.format);
                archive
                    .add_file(&format!("training/originals/{id}.{extension}"), &self.platform.blobs, key)
                    .await
                    .map_err(other)?;
            }
            for photo in self.photos(Some(user_id), id).await? {
                let image = format!("training/photos/{}.{}", photo.id, photo.content_type.trim_start_matches("image/"));
                archive.add_file(&image, &self.platform.blobs, &photo.file_key).await.map_err(other)?;
            }
            workouts.push(workout);
        }
        archive.add_json("training/workouts.json", &workouts).map_err(other)?;
        Ok(())
    }
}

fn other(e: PersonalDataError) -> crate::error::TrainingError {
    crate::error::TrainingError::Internal(e.to_string())
}
