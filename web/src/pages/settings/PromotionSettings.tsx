import { useEquipmentSettings, useSaveEquipmentSettings } from '../../api/promotions';
import type { EquipmentSettings } from '../../api/types';
import { useI18n } from '../../i18n';
import { regionsByName } from '../../lib/regions';
import { Field, FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

/** Whether partners' offers show beside the equipment, and the country they may be aimed at. */
export function PromotionSettings() {
  const { t, locale } = useI18n();
  const settings = useEquipmentSettings();
  const save = useSaveEquipmentSettings();
  // Saved at once: a preference is not a form to submit.
  const change = useSubmit<EquipmentSettings>(['promotions', 'region'], async (next) => {
    await save(next);
  });
  const current = settings.data;

  return (
    <section className="card" aria-labelledby="offers-settings-title" id="offers">
      <h2 id="offers-settings-title" style={{ marginTop: 0 }}>
        {t('offers.settingsTitle')}
      </h2>
      <p className="muted small">{t('offers.settingsExplain')}</p>
      <FormError message={change.formError ?? (settings.error ? t('error.network') : undefined)} />
      {current && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={current.promotions}
              onChange={(e) => change.run({ ...current, promotions: e.target.checked })}
            />
            {t('offers.show')}
          </label>
          <Field label={t('offers.region')} hint={t('offers.regionHint')} error={change.fieldError('region')}>
            {(props) => (
              <select
                {...props}
                value={current.region ?? ''}
                disabled={!current.promotions}
                onChange={(e) => change.run({ ...current, region: e.target.value || null })}
              >
                <option value="">{t('offers.noRegion')}</option>
                {regionsByName(locale).map((region) => (
                  <option key={region.code} value={region.code}>
                    {region.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      {change.pending && (
        <span className="small muted" role="status">
          {t('common.saving')}
        </span>
      )}
    </section>
  );
}
