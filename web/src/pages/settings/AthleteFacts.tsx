import { useState } from 'react';
import type { Account, AccountChange, Sex } from '../../api/types';
import { useI18n } from '../../i18n';
import { weightToKilograms, weightUnit, weightValue } from '../../lib/units';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useAccountChange } from './useAccountChange';

const FIELDS = ['sex', 'birth_year', 'weight_kg'];
const EARLIEST_BIRTH_YEAR = 1900;
const LIGHTEST_KG = 20;
const HEAVIEST_KG = 300;

/** A number typed in either locale's way ("61,5" or "61.5"); null when left empty. */
function typed(text: string): number | null {
  return text.trim() === '' ? null : Number(text.trim().replace(',', '.'));
}

/**
 * Sex, year of birth and weight, which competitions place the person in
 * categories by. The weight is typed in the account's units; only what was
 * touched is sent, so a weight shown in pounds is not rounded on each save.
 */
export function AthleteFacts({ account }: { account: Account }) {
  const { t, locale } = useI18n();
  const change = useAccountChange();
  const units = account.units ?? 'metric';
  const shownWeight =
    account.weight_kg != null ? String(+weightValue(account.weight_kg, units).toFixed(1)) : '';
  const [sex, setSex] = useState<Sex | ''>(account.sex ?? '');
  const [birthYear, setBirthYear] = useState(account.birth_year != null ? String(account.birth_year) : '');
  // Null until typed in, like the rest: then the account's own weight is kept as it is.
  const [weight, setWeight] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const thisYear = new Date().getFullYear();
  // Whole numbers inside the server's range in kilograms, also when shown in pounds.
  const lightest = Math.ceil(weightValue(LIGHTEST_KG, units));
  const heaviest = Math.floor(weightValue(HEAVIEST_KG, units));

  const form = useSubmit(FIELDS, async () => {
    setSaved(false);
    const year = typed(birthYear);
    if (year !== null && !(Number.isInteger(year) && year >= EARLIEST_BIRTH_YEAR && year <= thisYear))
      throw new Invalid(
        'birth_year',
        t('settings.birthYearInvalid', { from: EARLIEST_BIRTH_YEAR, to: thisYear }),
      );
    const next: AccountChange = { sex: sex || null, birth_year: year };
    if (weight !== null) {
      const value = typed(weight);
      if (value !== null && !(value >= lightest && value <= heaviest))
        throw new Invalid('weight_kg', t('settings.weightInvalid', { from: lightest, to: heaviest }));
      next.weight_kg = value === null ? null : weightToKilograms(value, units);
    }
    await change(next);
    setWeight(null);
    setSaved(true);
  });

  return (
    <form onSubmit={form.onSubmit} noValidate style={{ marginTop: '1rem' }} data-testid="athlete-facts">
      <h3>{t('settings.athlete')}</h3>
      <p className="small muted">{t('settings.athleteHint')}</p>
      <FormError message={form.formError} />
      <Field label={t('settings.sex')} error={form.fieldError('sex')}>
        {(props) => (
          <select {...props} value={sex} onChange={(e) => setSex(e.target.value as Sex | '')}>
            <option value="">{t('settings.sexNotSaid')}</option>
            <option value="female">{t('settings.sexFemale')}</option>
            <option value="male">{t('settings.sexMale')}</option>
          </select>
        )}
      </Field>
      <div className="row">
        <TextField
          label={t('settings.birthYear')}
          error={form.fieldError('birth_year')}
          inputMode="numeric"
          value={birthYear}
          onChange={setBirthYear}
        />
        <TextField
          label={t('settings.weight', { unit: weightUnit(units, locale) })}
          error={form.fieldError('weight_kg')}
          inputMode="decimal"
          value={weight ?? shownWeight}
          onChange={setWeight}
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {t('common.save')}
        </button>
        {saved && <span role="status">{t('common.saved')}</span>}
      </div>
    </form>
  );
}
