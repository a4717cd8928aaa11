import { useEffect, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { api } from '../../api/client';
import { isLoggedIn } from '../../api/session';
import { useI18n } from '../../i18n';
import { describe } from '../../ui/forms';
import { AuthFrame } from './AuthFrame';

/** The page the verification mail links to: confirms the address at once. */
export function VerifyEmail() {
  const { t, language } = useI18n();
  const token = new URLSearchParams(useSearch()).get('token') ?? '';
  const [state, setState] = useState<'working' | 'done' | string>('working');
  const started = useRef(false);

  useEffect(() => {
    // The token works once: React's double effect in development must not spend it twice.
    if (started.current) return;
    started.current = true;
    if (!token) {
      setState(t('verify.noToken'));
      return;
    }
    api('/api/v1/auth/verify', { method: 'POST', body: { token }, anonymous: true })
      .then(() => setState('done'))
      .catch((error) => setState(describe(error, t, language === 'en')));
  }, [token, t, language]);

  return (
    <AuthFrame title={t('verify.title')}>
      {state === 'working' && <p aria-live="polite">{t('verify.working')}</p>}
      {state === 'done' && (
        <>
          <p className="success" role="status">
            {t('verify.done')}
          </p>
          <Link href={isLoggedIn() ? '/' : '/login'} className="button">
            {isLoggedIn() ? t('verify.toHome') : t('signup.toLogin')}
          </Link>
        </>
      )}
      {state !== 'working' && state !== 'done' && (
        <>
          <div className="alert" role="alert">
            {state}
          </div>
          <p className="small">{t('verify.again')}</p>
        </>
      )}
    </AuthFrame>
  );
}
