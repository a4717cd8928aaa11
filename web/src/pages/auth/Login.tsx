import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { logIn, logInWithPasskey, type SecondStep, secondFactor, secondFactorPasskey } from '../../api/auth';
import { api } from '../../api/client';
import { useT } from '../../i18n';
import { passkeysSupported } from '../../lib/webauthn';
import { Field, FormError, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { AuthFrame } from './AuthFrame';

/** Where to go after logging in: the page that sent us here, never another site. */
function useNext(): string {
  const next = new URLSearchParams(useSearch()).get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function Login() {
  const t = useT();
  const [, navigate] = useLocation();
  const next = useNext();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<SecondStep | null>(null);
  const external = useQuery({
    queryKey: ['external'],
    queryFn: () => api<{ name: string; start: string }>('/api/v1/auth/external', { anonymous: true }),
    retry: false,
  });

  const form = useSubmit(['email', 'password'], async () => {
    const second = await logIn(email.trim(), password);
    if (second) setStep(second);
    else navigate(next, { replace: true });
  });
  const passkey = useSubmit([], async () => {
    await logInWithPasskey();
    navigate(next, { replace: true });
  });

  if (step) return <SecondFactor step={step} onDone={() => navigate(next, { replace: true })} />;

  return (
    <AuthFrame title={t('login.title')}>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError message={form.formError ?? passkey.formError} />
        <TextField
          label={t('field.email')}
          error={form.fieldError('email')}
          type="email"
          autoComplete="username webauthn"
          required
          value={email}
          onChange={setEmail}
        />
        <TextField
          label={t('field.password')}
          error={form.fieldError('password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={setPassword}
        />
        <div className="actions">
          <button type="submit" disabled={form.pending}>
            {t('login.submit')}
          </button>
          <Link href="/reset-password">{t('login.forgot')}</Link>
        </div>
      </form>
      <div className="actions" style={{ marginTop: '1rem' }}>
        {passkeysSupported() && (
          <button
            type="button"
            className="secondary"
            onClick={() => passkey.onSubmit()}
            disabled={passkey.pending}
          >
            {t('login.passkey')}
          </button>
        )}
        {external.data && (
          <a className="button secondary" href={external.data.start}>
            {t('login.external', { name: external.data.name })}
          </a>
        )}
      </div>
      <p className="small">
        {t('login.noAccount')} <Link href="/signup">{t('login.signUp')}</Link>
      </p>
    </AuthFrame>
  );
}

function SecondFactor({ step, onDone }: { step: SecondStep; onDone: () => void }) {
  const t = useT();
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const form = useSubmit(['code', 'recovery_code'], async () => {
    const value = code.replace(/\s/g, '');
    await secondFactor(step.challenge, recovery ? { recovery_code: value } : { code: value });
    onDone();
  });
  const passkey = useSubmit([], async () => {
    await secondFactorPasskey(step.challenge);
    onDone();
  });
  return (
    <AuthFrame title={t('login.secondTitle')}>
      <p className="muted">{recovery ? t('login.recoveryHint') : t('login.codeHint')}</p>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError message={form.formError ?? passkey.formError} />
        <Field
          label={recovery ? t('field.recoveryCode') : t('field.code')}
          error={form.fieldError(recovery ? 'recovery_code' : 'code')}
        >
          {(props) => (
            <input
              {...props}
              inputMode={recovery ? 'text' : 'numeric'}
              autoComplete="one-time-code"
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
        <div className="actions">
          <button type="submit" disabled={form.pending}>
            {t('login.verify')}
          </button>
          <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
            {recovery ? t('login.useCode') : t('login.useRecovery')}
          </button>
        </div>
      </form>
      {step.methods.includes('passkey') && passkeysSupported() && (
        <div className="actions" style={{ marginTop: '1rem' }}>
          <button
            type="button"
            className="secondary"
            onClick={() => passkey.onSubmit()}
            disabled={passkey.pending}
          >
            {t('login.passkey')}
          </button>
        </div>
      )}
    </AuthFrame>
  );
}
