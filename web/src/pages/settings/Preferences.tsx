import type { Account, AccountChange, Privacy, Units } from '../../api/types';
import { LANGUAGES, type Language, useI18n } from '../../i18n';
import { type Theme, useTheme } from '../../theme';
import { Field, FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { PrivacySelect } from '../workouts/PrivacySelect';
import { useAccountChange } from './useAccountChange';

/** Units and default privacy live on the account (every device); language and theme on this device. */
export function Preferences({ account }: { account: Account }) {
  const { t, language, setLanguage } = useI18n();
  const [theme, setTheme] = useTheme();
  const change = useAccountChange();
  // Saved at once: a preference is not a form to submit.
  const save = useSubmit<AccountChange>(['units', 'default_privacy', 'language'], async (next) => {
    await change(next);
  });
  const apply = (next: AccountChange) => save.run(next);
  // The server titles new trainings in the account's language; one that does not keep it is not told.
  const chooseLanguage = (next: Language) => {
    setLanguage(next);
    if ('language' in account) apply({ language: next });
  };

  return (
    <section className="card" aria-labelledby="preferences-title">
      <h2 id="preferences-title" style={{ marginTop: 0 }}>
        {t('settings.preferences')}
      </h2>
      <FormError message={save.formError} />
      <Field label={t('settings.units')} error={save.fieldError('units')}>
        {(props) => (
          <select
            {...props}
            value={account.units ?? 'metric'}
            onChange={(e) => apply({ units: e.target.value as Units })}
            data-testid="units"
          >
            <option value="metric">{t('settings.metric')}</option>
            <option value="imperial">{t('settings.imperial')}</option>
          </select>
        )}
      </Field>
      <PrivacySelect
        label={t('settings.defaultPrivacy')}
        value={account.default_privacy ?? 'private'}
        onChange={(value: Privacy) => apply({ default_privacy: value })}
        error={save.fieldError('default_privacy')}
      />
      <Field label={t('settings.language')}>
        {(props) => (
          <select {...props} value={language} onChange={(e) => chooseLanguage(e.target.value as Language)}>
            {LANGUAGES.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('settings.theme')}>
        {(props) => (
          <select {...props} value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        )}
      </Field>
      {save.pending && (
        <span className="small muted" role="status">
          {t('common.saving')}
        </span>
      )}
    </section>
  );
}
