import { useState } from 'react';
import { useModerationQueue } from '../../api/moderation';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { QueueItem } from './QueueItem';
import { outcomeKey } from './wording';

/** The open reports, oldest first. */
export function Queue() {
  const { t, language } = useI18n();
  const queue = useModerationQueue();
  const [decided, setDecided] = useState<string | null>(null);
  const list = queue.data ?? [];
  return (
    <>
      {decided && (
        <p className="success" role="status">
          {t('moderation.decided', { outcome: decided })}
        </p>
      )}
      {queue.isPending && <Loading />}
      {queue.error && <div className="alert">{describe(queue.error, t, language === 'en')}</div>}
      {queue.isSuccess && list.length === 0 && <p className="muted">{t('moderation.empty')}</p>}
      <ul className="list">
        {list.map((report) => (
          <QueueItem
            key={report.id}
            report={report}
            onDecided={(done) => {
              const key = done.outcome ? outcomeKey(done.outcome) : undefined;
              setDecided(key ? t(key) : (done.outcome ?? ''));
            }}
          />
        ))}
      </ul>
    </>
  );
}
