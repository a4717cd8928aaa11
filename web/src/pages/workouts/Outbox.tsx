import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { equipmentName } from '../../lib/equipment';
import { useOnline } from '../../lib/online';
import { discard, flush, type OutboxEntry } from '../../offline/outbox';

/** What an entry is, in a line: the training's title and start, or the item and what happens to it. */
function EntryLine({ entry }: { entry: OutboxEntry }) {
  const { t, locale } = useI18n();
  switch (entry.kind) {
    case 'workout.create':
      return (
        <>
          <strong>{entry.payload.title || t('outbox.untitled')}</strong> ·{' '}
          {formatDateTime(entry.payload.started_at, locale)}
        </>
      );
    case 'equipment.create': {
      const { nickname, brand, model, kind } = entry.payload;
      const name = equipmentName({ nickname: nickname ?? '', brand: brand ?? '', model: model ?? '', kind });
      return (
        <>
          <strong>{name}</strong> · {t('outbox.equipmentNew')}
        </>
      );
    }
    case 'equipment.update':
      return (
        <>
          <strong>{entry.name}</strong> · {t('outbox.equipmentChanged')}
        </>
      );
  }
}

/** What waits on this device to be sent, so nobody wonders where a training or an item went. */
export function Outbox({ entries }: { entries: OutboxEntry[] }) {
  const { t, plural } = useI18n();
  const online = useOnline();
  const onlyTrainings = entries.every((entry) => entry.kind === 'workout.create');
  return (
    <section className="card" aria-labelledby="outbox-title" data-testid="outbox">
      <h2 id="outbox-title" style={{ marginTop: 0 }}>
        {plural(onlyTrainings ? 'outbox.title' : 'outbox.changes', entries.length)}
      </h2>
      <ul className="list">
        {entries.map((entry) => (
          <li key={entry.id} className="small" style={{ padding: '0.4rem 0' }}>
            <EntryLine entry={entry} />
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
