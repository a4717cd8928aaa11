import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { upload } from '../../api/client';
import { refreshTrainings, useAccount } from '../../api/queries';
import type { Privacy, Workout } from '../../api/types';
import { useI18n } from '../../i18n';
import { newId } from '../../lib/id';
import { useOnline } from '../../lib/online';
import { describe } from '../../ui/forms';
import { PrivacySelect } from './PrivacySelect';

interface Item {
  key: string;
  file: File;
  progress: number;
  workout?: Workout;
  error?: string;
}

const ACCEPT = '.gpx,.tcx,.fit,.gz,application/gpx+xml,application/vnd.garmin.tcx+xml';

/** GPX, TCX and FIT files, several at once, each with its progress and its outcome. */
export default function Upload() {
  const { t, language, plural } = useI18n();
  const queries = useQueryClient();
  const online = useOnline();
  const account = useAccount();
  const [items, setItems] = useState<Item[]>([]);
  const [busy, setBusy] = useState(false);
  const [privacy, setPrivacy] = useState<Privacy | ''>('');
  const chosenPrivacy = privacy || account.data?.default_privacy || 'private';

  const update = (key: string, change: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const send = async (files: File[]) => {
    const added = files.map((file) => ({ key: newId(), file, progress: 0 }));
    setItems((list) => [...added, ...list]);
    setBusy(true);
    for (const item of added) {
      const form = new FormData();
      form.append('privacy', chosenPrivacy);
      form.append('file', item.file, item.file.name);
      try {
        const workout = await upload<Workout>(
          '/api/v1/workouts',
          form,
          (progress) => update(item.key, { progress }),
          {
            'idempotency-key': item.key,
          },
        );
        update(item.key, { workout, progress: 1 });
      } catch (error) {
        update(item.key, { error: describe(error, t, language === 'en') });
      }
    }
    setBusy(false);
    refreshTrainings(queries);
  };

  const done = items.filter((item) => item.workout).length;
  return (
    <>
      <h1>{t('upload.title')}</h1>
      <div className="card">
        <p className="muted">{t('upload.explain')}</p>
        {!online && <div className="notice">{t('upload.offline')}</div>}
        <PrivacySelect value={chosenPrivacy} onChange={setPrivacy} />
        <div className="field">
          <label htmlFor="files">{t('upload.choose')}</label>
          <input
            id="files"
            type="file"
            multiple
            accept={ACCEPT}
            disabled={!online}
            onChange={(event) => {
              const files = Array.from(event.target.files ?? []);
              event.target.value = '';
              if (files.length) send(files);
            }}
          />
        </div>
      </div>
      {items.length > 0 && (
        <section aria-labelledby="upload-results" aria-busy={busy}>
          <h2 id="upload-results">{plural('upload.done', done)}</h2>
          <ul className="list card" style={{ padding: '0 1rem' }}>
            {items.map((item) => (
              <li
                key={item.key}
                style={{ padding: '0.6rem 0', borderBottom: '1px solid var(--line)' }}
                data-testid="upload-item"
              >
                <strong>{item.file.name}</strong>
                {!item.workout && !item.error && (
                  <div
                    className="progress"
                    role="progressbar"
                    aria-label={item.file.name}
                    aria-valuenow={Math.round(item.progress * 100)}
                    aria-valuemin={0}
                    aria-valuemax={100}
                  >
                    <div style={{ width: `${item.progress * 100}%` }} />
                  </div>
                )}
                {item.workout && (
                  <div className="small">
                    {item.workout.state === 'processing' ? t('upload.processing') : t('upload.ready')}{' '}
                    <Link href={`/workouts/${item.workout.id}`}>{t('upload.open')}</Link>
                  </div>
                )}
                {item.error && (
                  <div className="small" style={{ color: 'var(--danger)' }} role="alert">
                    {item.error}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
