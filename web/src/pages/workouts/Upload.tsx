import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { ApiError, upload } from '../../api/client';
import { refreshTrainings, useAccount } from '../../api/queries';
import type { Privacy, Workout } from '../../api/types';
import { useI18n } from '../../i18n';
import { newId } from '../../lib/id';
import { useOnline } from '../../lib/online';
import { requestSync } from '../../offline/sync';
import { describe } from '../../ui/forms';
import { EquipmentPicker } from './EquipmentPicker';
import { PrivacySelect } from './PrivacySelect';

interface Item {
  key: string;
  file: File;
  progress: number;
  workout?: Workout;
  /** The training this same file already became (a 409 duplicate-workout). */
  duplicateOf?: string;
  error?: string;
}

/** Whether uploads carry `utc_offset_minutes`; off once a server refused the field. */
let sendsOffset = true;

function refusesOffset(error: unknown): boolean {
  return (
    error instanceof ApiError && error.slug === 'invalid-input' && error.detail.includes('utc_offset_minutes')
  );
}

/** The id of the training an upload repeats, when the server refused it as a duplicate. */
function duplicateOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.slug !== 'duplicate-workout') return undefined;
  const id = error.extra.existing_id;
  return typeof id === 'string' && id ? id : undefined;
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
  // Null: each training gets the defaults of the sport read from its file.
  const [equipment, setEquipment] = useState<string[] | null>(null);
  const [dragging, setDragging] = useState(false);
  const chosenPrivacy = privacy || account.data?.default_privacy || 'private';

  const update = (key: string, change: Partial<Item>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const send = async (files: File[]) => {
    const added = files.map((file) => ({ key: newId(), file, progress: 0 }));
    setItems((list) => [...added, ...list]);
    setBusy(true);
    for (const item of added) {
      const form = (withOffset: boolean) => {
        const data = new FormData();
        data.append('privacy', chosenPrivacy);
        if (equipment !== null) data.append('equipment_ids', equipment.join(','));
        // The device's offset from UTC, so the server names it by the local time of day ("Morning Run").
        if (withOffset) data.append('utc_offset_minutes', String(-new Date().getTimezoneOffset()));
        data.append('file', item.file, item.file.name);
        return data;
      };
      const sendOnce = (withOffset: boolean, key: string) =>
        upload<Workout>('/api/v1/workouts', form(withOffset), (progress) => update(item.key, { progress }), {
          'idempotency-key': key,
        });
      try {
        let workout: Workout;
        try {
          workout = await sendOnce(sendsOffset, item.key);
        } catch (error) {
          // A server from before the field refuses it as unknown: the same file again without it
          // (under a key of its own: a key stands for one request).
          if (!(sendsOffset && refusesOffset(error))) throw error;
          sendsOffset = false;
          workout = await sendOnce(false, newId());
        }
        update(item.key, { workout, progress: 1 });
      } catch (error) {
        const existing = duplicateOf(error);
        if (existing) update(item.key, { duplicateOf: existing });
        else update(item.key, { error: describe(error, t, language === 'en') });
      }
    }
    setBusy(false);
    refreshTrainings(queries);
    // The new trainings join the device's copy without waiting for the server's hint.
    requestSync(0);
  };

  const done = items.filter((item) => item.workout).length;
  return (
    <>
      <h1>{t('upload.title')}</h1>
      <div className="card">
        <p className="muted">{t('upload.explain')}</p>
        {!online && <div className="notice">{t('upload.offline')}</div>}
        <PrivacySelect value={chosenPrivacy} onChange={setPrivacy} />
        <EquipmentPicker chosen={equipment} onChange={setEquipment} />
        {/* Files dropped anywhere on this area are uploaded like chosen ones. */}
        {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is for pointers; keyboards use the file input inside */}
        <div
          className="field dropzone"
          data-dragging={dragging || undefined}
          data-testid="dropzone"
          onDragOver={(event) => {
            if (!online || !event.dataTransfer.types.includes('Files')) return;
            event.preventDefault();
            event.dataTransfer.dropEffect = 'copy';
            setDragging(true);
          }}
          onDragLeave={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
          }}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            const files = Array.from(event.dataTransfer.files);
            if (online && files.length) send(files);
          }}
        >
          <label htmlFor="files">{t('upload.choose')}</label>
          <p className="muted small" style={{ margin: 0 }}>
            {t('upload.drop')}
          </p>
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
                {!item.workout && !item.error && !item.duplicateOf && (
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
                {item.duplicateOf && (
                  <div className="small" role="status">
                    {t('upload.duplicate')}{' '}
                    <Link href={`/workouts/${item.duplicateOf}`}>{t('upload.openExisting')}</Link>
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
