import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { forgetLogin } from '../../api/auth';
import { api } from '../../api/client';
import type { ExportInfo } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { FormError, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const KEY = ['account', 'exports'];

/** A copy of everything (mailed as a link when ready), and deleting the account for good. */
/** The document names the state a free string; these three are the ones there are words for. */
function isExportState(status: string): status is 'pending' | 'ready' | 'failed' {
  return status === 'pending' || status === 'ready' || status === 'failed';
}

export function Data() {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const exports = useQuery({
    queryKey: KEY,
    queryFn: () => api<ExportInfo[]>('/api/v1/account/exports'),
    refetchInterval: (query) => (query.state.data?.some((e) => e.status === 'pending') ? 3000 : false),
  });
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);

  const request = useSubmit([], async () => {
    await api('/api/v1/account/exports', { method: 'POST' });
    await queries.invalidateQueries({ queryKey: KEY });
  });
  const erase = useSubmit(['password'], async () => {
    await api('/api/v1/account', { method: 'DELETE', body: { password } });
    forgetLogin();
    navigate('/login', { replace: true });
  });
  const latest = exports.data?.[0];

  return (
    <section className="card" aria-labelledby="data-title">
      <h2 id="data-title" style={{ marginTop: 0 }}>
        {t('data.title')}
      </h2>
      <p className="muted small">{t('data.exportExplain')}</p>
      <FormError message={request.formError} />
      {latest && isExportState(latest.status) && (
        <p className="small" role="status">
          {t(`data.export.${latest.status}`, { when: formatDateTime(latest.created_at, locale) })}
        </p>
      )}
      <button
        type="button"
        className="secondary"
        onClick={() => request.onSubmit()}
        disabled={request.pending}
      >
        {t('data.export')}
      </button>
      <h3>{t('data.deleteTitle')}</h3>
      <p className="muted small">{t('data.deleteExplain')}</p>
      {confirming ? (
        <form onSubmit={erase.onSubmit} noValidate>
          <FormError message={erase.formError} />
          <TextField
            label={t('field.password')}
            error={erase.fieldError('password')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={erase.pending}>
              {t('data.deleteForGood')}
            </button>
            <button type="button" className="link" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('data.delete')}
        </button>
      )}
    </section>
  );
}
