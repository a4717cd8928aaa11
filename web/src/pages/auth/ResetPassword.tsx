import { useState } from 'react';
import { Link, useSearch } from 'wouter';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import { FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { AuthFrame } from './AuthFrame';
import { MIN_PASSWORD } from './SignUp';

/** Without a token: ask for the mail. With the mail's token: choose the new password. */
export function ResetPassword() {
  const token = new URLSearchParams(useSearch()).get('token');
  return token ? <ChooseNew token={token} /> : <AskForMail />;
}

function AskForMail() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const form = useSubmit(['email'], async () => {
    await api('/api/v1/auth/password-reset', {
      method: 'POST',
      body: { email: email.trim() },
      anonymous: true,
    });
    setSent(true);
  });
  return (
    <AuthFrame title={t('reset.title')}>
      {sent ? (
        <p role="status">{t('reset.sent', { email: email.trim() })}</p>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <p className="muted">{t('reset.explain')}</p>
          <FormError message={form.formError} />
          <TextField
            label={t('field.email')}
            error={form.fieldError('email')}
            type="email"
            autoComplete="email"
            value={email}
            onChange={setEmail}
          />
          <button type="submit" disabled={form.pending}>
            {t('reset.send')}
          </button>
        </form>
      )}
      <p className="small">
        <Link href="/login">{t('signup.toLogin')}</Link>
      </p>
    </AuthFrame>
  );
}

function ChooseNew({ token }: { token: string }) {
  const t = useT();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useSubmit(['new_password', 'password', 'token'], async () => {
    if (password.length < MIN_PASSWORD)
      throw new Invalid('new_password', t('signup.passwordShort', { min: MIN_PASSWORD }));
    await api('/api/v1/auth/password-reset/confirm', {
      method: 'POST',
      body: { token, new_password: password },
      anonymous: true,
    });
    setDone(true);
  });
  return (
    <AuthFrame title={t('reset.chooseTitle')}>
      {done ? (
        <>
          <p className="success" role="status">
            {t('reset.done')}
          </p>
          <Link href="/login" className="button">
            {t('signup.toLogin')}
          </Link>
        </>
      ) : (
        <form onSubmit={form.onSubmit} noValidate>
          <FormError message={form.formError} />
          <TextField
            label={t('field.newPassword')}
            hint={t('signup.passwordHint', { min: MIN_PASSWORD })}
            error={form.fieldError('new_password') ?? form.fieldError('password')}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={setPassword}
          />
          <button type="submit" disabled={form.pending}>
            {t('reset.save')}
          </button>
        </form>
      )}
    </AuthFrame>
  );
}
