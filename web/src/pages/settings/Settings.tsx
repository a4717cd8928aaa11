import { useLocation } from 'wouter';
import { logOut } from '../../api/auth';
import { useAccount } from '../../api/queries';
import { useI18n } from '../../i18n';
import { useSnapshot } from '../../offline/local';
import { describe, Loading } from '../../ui/forms';
import { ConnectedApps } from './ConnectedApps';
import { Data } from './Data';
import { Passkeys } from './Passkeys';
import { Password } from './Password';
import { People } from './People';
import { Preferences } from './Preferences';
import { Profile } from './Profile';
import { PromotionSettings } from './PromotionSettings';
import { Sessions } from './Sessions';
import { TwoFactor } from './TwoFactor';

export default function Settings() {
  const { t, language, plural } = useI18n();
  const account = useAccount();
  const waiting = useSnapshot().mutations;
  const [, navigate] = useLocation();
  if (account.isPending) return <Loading />;
  if (!account.data) return <div className="alert">{describe(account.error, t, language === 'en')}</div>;
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <Profile account={account.data} />
      <People />
      <Preferences account={account.data} />
      <PromotionSettings />
      <TwoFactor account={account.data} />
      <Passkeys />
      <Password />
      <Sessions />
      <ConnectedApps />
      <Data />
      <div className="actions">
        <button
          type="button"
          className="secondary"
          onClick={async () => {
            // Changes not sent yet belong to this account: logging out forgets
            // them with the rest of its copy on this device, so it is asked first.
            if (waiting.length > 0 && !window.confirm(plural('settings.logOutLoses', waiting.length))) return;
            await logOut();
            navigate('/login', { replace: true });
          }}
        >
          {t('settings.logOut')}
        </button>
      </div>
    </>
  );
}
