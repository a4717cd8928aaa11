import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { ConnectedApp } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const KEY = ['account', 'apps'];

/** Applications this person let act for them (OAuth); withdrawing one stops its tokens at once. */
export function ConnectedApps() {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const apps = useQuery({ queryKey: KEY, queryFn: () => api<ConnectedApp[]>('/api/v1/account/apps') });
  const withdraw = useSubmit<string>([], async (id) => {
    await api(`/api/v1/account/apps/${encodeURIComponent(id)}`, { method: 'DELETE' });
    await queries.invalidateQueries({ queryKey: KEY });
  });
  return (
    <section className="card" aria-labelledby="apps-title">
      <h2 id="apps-title" style={{ marginTop: 0 }}>
        {t('apps.title')}
      </h2>
      <FormError message={withdraw.formError} />
      {apps.data?.length === 0 && <p className="muted small">{t('apps.none')}</p>}
      <ul className="list">
        {apps.data?.map((app) => (
          <li
            key={app.client_id}
            style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', padding: '0.4rem 0' }}
          >
            <span>
              <strong>{app.name}</strong>
              <br />
              <span className="muted small">
                {app.scopes.join(', ')} ·{' '}
                {t('apps.allowed', { when: formatDateTime(app.allowed_at, locale) })}
              </span>
            </span>
            <span className="spacer" style={{ flex: 1 }} />
            <button type="button" className="link" onClick={() => withdraw.run(app.client_id)}>
              {t('apps.withdraw')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
