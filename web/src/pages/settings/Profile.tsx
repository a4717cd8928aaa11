import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, upload } from '../../api/client';
import { keys } from '../../api/queries';
import type { Account } from '../../api/types';
import { useI18n } from '../../i18n';
import { Field, FormError, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { AthleteFacts } from './AthleteFacts';
import { useAccountChange } from './useAccountChange';

export function Profile({ account }: { account: Account }) {
  const { t } = useI18n();
  const queries = useQueryClient();
  const change = useAccountChange();
  const [name, setName] = useState(account.display_name);
  const [saved, setSaved] = useState(false);
  const [file, setFile] = useState<File | null>(null);

  const form = useSubmit(['display_name'], async () => {
    setSaved(false);
    await change({ display_name: name.trim() });
    setSaved(true);
  });
  const picture = useSubmit(['file'], async () => {
    if (!file) return;
    const body = new FormData();
    body.append('file', file);
    await upload('/api/v1/account/avatar', body, () => {}, {}, 'PUT');
    setFile(null);
    await queries.invalidateQueries({ queryKey: keys.account });
  });
  const removePicture = useSubmit([], async () => {
    await api('/api/v1/account/avatar', { method: 'DELETE' });
    await queries.invalidateQueries({ queryKey: keys.account });
  });

  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title" style={{ marginTop: 0 }}>
        {t('settings.profile')}
      </h2>
      <div style={{ display: 'flex', gap: '1rem', alignItems: 'center', marginBottom: '1rem' }}>
        {account.avatar_url ? (
          <img className="avatar" src={account.avatar_url} alt={t('settings.picture')} />
        ) : (
          <span className="avatar" aria-hidden="true">
            {account.display_name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div>
          <div>
            <strong>{account.display_name}</strong>
          </div>
          <div className="muted small">{account.email}</div>
        </div>
      </div>
      <form onSubmit={picture.onSubmit}>
        <FormError message={picture.formError ?? picture.fieldError('file') ?? removePicture.formError} />
        <Field label={t('settings.picture')} hint={t('settings.pictureHint')}>
          {(props) => (
            <input
              {...props}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={!file || picture.pending}>
            {t('settings.pictureSave')}
          </button>
          {account.avatar_url && (
            <button type="button" className="link" onClick={() => removePicture.onSubmit()}>
              {t('settings.pictureRemove')}
            </button>
          )}
        </div>
      </form>
      <form onSubmit={form.onSubmit} noValidate style={{ marginTop: '1rem' }}>
        <FormError message={form.formError} />
        <TextField
          label={t('field.displayName')}
          error={form.fieldError('display_name')}
          value={name}
          onChange={setName}
        />
        <div className="actions">
          <button type="submit" disabled={form.pending}>
            {t('common.save')}
          </button>
          {saved && <span role="status">{t('common.saved')}</span>}
        </div>
      </form>
      <AthleteFacts account={account} />
    </section>
  );
}
