import { useEffect } from 'react';
import { useLocation } from 'wouter';
import { keep } from '../../api/auth';
import { useT } from '../../i18n';
import { AuthFrame } from './AuthFrame';

/** Where the external provider's callback sends the browser, with the tokens in the fragment. */
export function ExternalLogin() {
  const t = useT();
  const [, navigate] = useLocation();
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const access = fragment.get('access_token');
  const refresh = fragment.get('refresh_token');

  useEffect(() => {
    if (!access || !refresh) return;
    keep({
      access_token: access,
      refresh_token: refresh,
      expires_in: Number(fragment.get('expires_in') ?? 900),
      session_id: '',
    });
    // The tokens must not stay in the address bar or the history.
    history.replaceState(null, '', '/');
    navigate('/', { replace: true });
  }, [access, refresh, navigate, fragment]);

  return (
    <AuthFrame title={t('login.title')}>
      <p className="alert" role="alert">
        {access ? t('verify.working') : t('login.externalFailed')}
      </p>
    </AuthFrame>
  );
}
