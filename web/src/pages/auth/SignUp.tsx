import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import { FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { AuthFrame } from './AuthFrame';

export const MIN_PASSWORD = 10;

export function SignUp() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState(false);

  const form = useSubmit(['email', 'display_name', 'password'], async () => {
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) throw new Invalid('email', t('problem.invalid-input.email'));
    if (!name.trim()) throw new Invalid('display_name', t('problem.invalid-input.display_name'));
    if (password.length < MIN_PASSWORD)
      throw new Invalid('password', t('signup.passwordShort', { min: MIN_PASSWORD }));
    await api('/api/v1/auth/register', {
      method: 'POST',
      body: { email: email.trim(), display_name: name.trim(), password },
      anonymous: true,
    });
    setSent(true);
  });

  if (sent) {
    return (
      <AuthFrame title={t('signup.checkMail')}>
        <p role="status">{t('signup.sent', { email: email.trim() })}</p>
        <Link href="/login">{t('signup.toLogin')}</Link>
      </AuthFrame>
    );
  }

  return (
    <AuthFrame title={t('signup.title')}>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError message={form.formError} />
        <TextField
          label={t('field.email')}
          error={form.fieldError('email')}
          type="email"
          autoComplete="email"
          value={email}
          onChange={setEmail}
        />
        <TextField
          label={t('field.displayName')}
          hint={t('signup.nameHint')}
          error={form.fieldError('display_name')}
          autoComplete="nickname"
          value={name}
          onChange={setName}
        />
        <TextField
          label={t('field.password')}
          hint={t('signup.passwordHint', { min: MIN_PASSWORD })}
          error={form.fieldError('password')}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
        />
        <div className="actions">
          <button type="submit" disabled={form.pending}>
            {t('signup.submit')}
          </button>
        </div>
      </form>
      <p className="small">
        {t('signup.haveAccount')} <Link href="/login">{t('signup.toLogin')}</Link>
      </p>
    </AuthFrame>
  );
}
