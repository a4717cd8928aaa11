import { useLocation } from 'wouter';
import { logOut } from '../../api/auth';
import { useAccount } from '../../api/queries';
import { useI18n } from '../../i18n';
import { clearOutbox, useOutbox } from '../../offline/outbox';
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
  const waiting = useOutbox();
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
            // Trainings not sent yet belong to this account: sending them after
            // someone else logs in here would put them in the wrong account.
            if (waiting.length > 0) {
              if (!window.confirm(plural('settings.logOutLoses', waiting.length))) return;
              await clearOutbox();
            }
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
