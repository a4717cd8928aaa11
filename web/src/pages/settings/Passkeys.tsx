import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import type { Passkey } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { createPasskey, passkeysSupported } from '../../lib/webauthn';
import { Field, FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const KEY = ['account', 'passkeys'];

export function Passkeys() {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const passkeys = useQuery({ queryKey: KEY, queryFn: () => api<Passkey[]>('/api/v1/account/passkeys') });
  const [name, setName] = useState('');

  const add = useSubmit(['name'], async () => {
    const start = await api<{ ceremony: string; options: never }>('/api/v1/account/passkeys/registration', {
      method: 'POST',
    });
    const credential = await createPasskey(start.options);
    await api('/api/v1/account/passkeys', {
      method: 'POST',
      body: { ceremony: start.ceremony, name: name.trim() || t('passkeys.defaultName'), credential },
    });
    setName('');
    await queries.invalidateQueries({ queryKey: KEY });
  });
  const remove = useSubmit<string>([], async (id) => {
    await api(`/api/v1/account/passkeys/${id}`, { method: 'DELETE' });
    await queries.invalidateQueries({ queryKey: KEY });
  });

  return (
    <section className="card" aria-labelledby="passkeys-title">
      <h2 id="passkeys-title" style={{ marginTop: 0 }}>
        {t('passkeys.title')}
      </h2>
      <p className="muted small">{t('passkeys.explain')}</p>
      <FormError message={remove.formError} />
      <ul className="list">
        {passkeys.data?.map((key) => (
          <li
            key={key.id}
            style={{ display: 'flex', gap: '0.5rem', alignItems: 'center', padding: '0.4rem 0' }}
          >
            <span>
              <strong>{key.name}</strong>
              <br />
              <span className="muted small">
                {t('passkeys.added', { when: formatDateTime(key.created_at, locale) })}
                {key.last_used_at
                  ? ` · ${t('passkeys.used', { when: formatDateTime(key.last_used_at, locale) })}`
                  : ''}
              </span>
            </span>
            <span className="spacer" style={{ flex: 1 }} />
            <button type="button" className="link" onClick={() => remove.run(key.id)}>
              {t('common.remove')}
            </button>
          </li>
        ))}
      </ul>
      {passkeysSupported() ? (
        <form onSubmit={add.onSubmit} noValidate>
          <FormError message={add.formError} />
          <Field label={t('passkeys.name')} error={add.fieldError('name')}>
            {(props) => (
              <input
                {...props}
                value={name}
                placeholder={t('passkeys.defaultName')}
                onChange={(e) => setName(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={add.pending}>
            {t('passkeys.add')}
          </button>
        </form>
      ) : (
        <p className="muted small">{t('passkeys.unsupported')}</p>
      )}
    </section>
  );
}
