import { useState } from 'react';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import { FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { MIN_PASSWORD } from '../auth/SignUp';

export function Password() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(['current_password', 'new_password', 'password'], async () => {
    setDone(false);
    if (next.length < MIN_PASSWORD)
      throw new Invalid('new_password', t('signup.passwordShort', { min: MIN_PASSWORD }));
    await api('/api/v1/account/password', {
      method: 'POST',
      body: { current_password: current, new_password: next },
    });
    setCurrent('');
    setNext('');
    setDone(true);
  });
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title" style={{ marginTop: 0 }}>
        {t('password.title')}
      </h2>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError message={form.formError} />
        <TextField
          label={t('field.currentPassword')}
          error={form.fieldError('current_password')}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
        />
        <TextField
          label={t('field.newPassword')}
          hint={t('password.othersEnd')}
          error={form.fieldError('new_password') ?? form.fieldError('password')}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={setNext}
        />
        <div className="actions">
          <button type="submit" disabled={form.pending}>
            {t('password.change')}
          </button>
          {done && <span role="status">{t('password.changed')}</span>}
        </div>
      </form>
    </section>
  );
}
