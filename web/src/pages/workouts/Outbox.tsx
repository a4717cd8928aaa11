import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { useOnline } from '../../lib/online';
import { discard, flush, type OutboxEntry } from '../../offline/outbox';

/** What waits on this device to be sent, so nobody wonders where a training went. */
export function Outbox({ entries }: { entries: OutboxEntry[] }) {
  const { t, plural, locale } = useI18n();
  const online = useOnline();
  return (
    <section className="card" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title" style={{ marginTop: 0 }}>
        {plural('outbox.title', entries.length)}
      </h2>
      <ul className="list">
        {entries.map((entry) => (
          <li key={entry.id} className="small" style={{ padding: '0.4rem 0' }}>
            <strong>{entry.payload.title || t('outbox.untitled')}</strong> ·{' '}
            {formatDateTime(entry.payload.started_at, locale)}
            {entry.refused ? (
              <>
                <div className="error" style={{ color: 'var(--danger)' }}>
                  {t('outbox.refused', { reason: entry.refused })}
                </div>
                <button type="button" className="link" onClick={() => discard(entry.id)}>
                  {t('outbox.discard')}
                </button>
              </>
            ) : (
              <span className="muted"> · {online ? t('outbox.sending') : t('outbox.waiting')}</span>
            )}
          </li>
        ))}
      </ul>
      {online && (
        <button type="button" className="secondary" onClick={() => flush()}>
          {t('outbox.retry')}
        </button>
      )}
    </section>
  );
}
