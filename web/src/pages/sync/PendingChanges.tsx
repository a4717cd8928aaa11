import { useI18n } from '../../i18n';
import { syncNow } from '../../offline/sync';
import { ChangeLine, RefusedChange } from './ChangeLine';
import { useSyncSummary } from './useSyncSummary';

/** At most this many lines; the rest is counted (the top bar's panel has the refused ones too). */
const SHOWN = 5;

/**
 * What waits on this device to be sent, above every screen, so nobody
 * wonders where a training, an edit or a delete went; a refused change says
 * why, with a way to edit or discard it.
 */
export function PendingChanges() {
  const { t, plural } = useI18n();
  const { waiting, refused, online, phase } = useSyncSummary();
  const all = [...refused, ...waiting];
  if (all.length === 0) return null;
  const onlyNewTrainings = all.every((m) => m.entity === 'workout' && m.op === 'create');
  return (
    <section className="card pending" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title" style={{ marginTop: 0 }}>
        {waiting.length === 0
          ? plural('sync.refusedTitle', refused.length)
          : plural(onlyNewTrainings ? 'outbox.title' : 'outbox.changes', all.length)}
      </h2>
      <ul className="list">
        {all.slice(0, SHOWN).map((mutation) => (
          <li key={mutation.id} className="small" style={{ padding: '0.4rem 0' }}>
            <ChangeLine mutation={mutation} />
            {mutation.refused ? (
              <RefusedChange mutation={mutation} />
            ) : (
              <span className="muted"> · {online ? t('outbox.sending') : t('outbox.waiting')}</span>
            )}
          </li>
        ))}
      </ul>
      {all.length > SHOWN && <p className="small muted">{plural('sync.more', all.length - SHOWN)}</p>}
      {online && waiting.length > 0 && (
        <button type="button" className="secondary" disabled={phase === 'syncing'} onClick={() => syncNow()}>
          {t('outbox.retry')}
        </button>
      )}
    </section>
  );
}
