import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, blob, upload } from '../../api/client';
import type { Photo } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe } from '../../ui/forms';

function Thumbnail({ workoutId, photo }: { workoutId: string; photo: Photo }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    const path = `/api/v1/workouts/${workoutId}/photos/${photo.id}${photo.thumbnail_ready ? '/thumbnail' : ''}`;
    blob(path)
      .then((data) => {
        made = URL.createObjectURL(data);
        setUrl(made);
      })
      .catch(() => setUrl(null));
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [workoutId, photo.id, photo.thumbnail_ready]);
  return url ? (
    <img src={url} alt={t('workout.photo')} loading="lazy" />
  ) : (
    <div className="photos-placeholder" />
  );
}

/** The workout's photos; its owner adds more. */
export function Photos({ workoutId, mine }: { workoutId: string; mine: boolean }) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const key = ['workouts', workoutId, 'photos'];
  const photos = useQuery({
    queryKey: key,
    queryFn: () => api<Photo[]>(`/api/v1/workouts/${workoutId}/photos`),
    refetchInterval: (query) => (query.state.data?.some((p) => !p.thumbnail_ready) ? 2000 : false),
  });
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const add = async (files: FileList | null) => {
    setError(null);
    for (const file of Array.from(files ?? [])) {
      const form = new FormData();
      form.append('photo', file);
      try {
        await upload(`/api/v1/workouts/${workoutId}/photos`, form, setProgress);
      } catch (failure) {
        setError(`${file.name}: ${describe(failure, t, language === 'en')}`);
      }
    }
    setProgress(null);
    queries.invalidateQueries({ queryKey: key });
  };

  if (!mine && !photos.data?.length) return null;
  return (
    <section aria-labelledby="photos-title">
      <h2 id="photos-title">{t('workout.photos')}</h2>
      {error && (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
      <div className="photos">
        {photos.data?.map((photo) => (
          <Thumbnail key={photo.id} workoutId={workoutId} photo={photo} />
        ))}
      </div>
      {mine && (
        <div className="field" style={{ marginTop: '0.6rem' }}>
          <label htmlFor="photo-input">{t('workout.addPhotos')}</label>
          <input
            id="photo-input"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            onChange={(e) => add(e.target.files)}
          />
          {progress !== null && (
            <div
              className="progress"
              role="progressbar"
              aria-valuenow={Math.round(progress * 100)}
              aria-valuemin={0}
              aria-valuemax={100}
            >
              <div style={{ width: `${progress * 100}%` }} />
            </div>
          )}
        </div>
      )}
    </section>
  );
}
