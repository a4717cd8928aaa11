import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Session } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { deviceName } from '../../lib/device';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const KEY = ['account', 'sessions'];

/** The devices logged in to this account; any but this one can be logged out from here. */
export function Sessions() {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const sessions = useQuery({ queryKey: KEY, queryFn: () => api<Session[]>('/api/v1/account/sessions') });
  const end = useSubmit<string>([], async (id) => {
    await api(`/api/v1/account/sessions/${id}`, { method: 'DELETE' });
    await queries.invalidateQueries({ queryKey: KEY });
  });
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title" style={{ marginTop: 0 }}>
        {t('sessions.title')}
      </h2>
      <FormError message={end.formError} />
      <ul className="list">
        {sessions.data?.map((session) => (
          <li
            key={session.id}
            style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', padding: '0.4rem 0' }}
          >
            <span>
              <strong title={session.device}>
                {session.device ? deviceName(session.device) : t('sessions.unknownDevice')}
              </strong>
              {session.current && <span className="muted"> · {t('sessions.current')}</span>}
              <br />
              <span className="muted small">
                {session.address} ·{' '}
                {t('sessions.lastUsed', { when: formatDateTime(session.last_used_at, locale) })}
              </span>
            </span>
            <span className="spacer" style={{ flex: 1 }} />
            {!session.current && (
              <button type="button" className="link" onClick={() => end.run(session.id)}>
                {t('sessions.end')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
