import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { equipmentPath, settle } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { ComponentKind, Equipment, NewComponent } from '../../api/types';
import { useI18n } from '../../i18n';
import { localInputToRfc3339, today } from '../../lib/dates';
import { COMPONENT_KINDS, defaultPartThreshold } from '../../lib/equipment';
import { distanceUnit, toMetres } from '../../lib/units';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const PART_FIELDS = ['kind', 'name', 'threshold_m', 'installed_at'];

/** A part fitted to the item; its wear counts the item's trainings from the day it was fitted. */
export function AddPart({ item, onDone }: { item: Equipment; onDone: () => void }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const queries = useQueryClient();
  const [kind, setKind] = useState<ComponentKind>('chain');
  const [name, setName] = useState('');
  const [installed, setInstalled] = useState(today());
  // Null until typed in: it follows the kind's default.
  const [threshold, setThreshold] = useState<string | null>(null);
  const kindDefault = defaultPartThreshold(kind);
  const shownThreshold =
    threshold ?? (kindDefault ? String(+(kindDefault / toMetres(1, units)).toFixed(0)) : '');

  const form = useSubmit(PART_FIELDS, async () => {
    const part: NewComponent = { kind, name: name.trim() };
    if (threshold !== null) {
      const value = Number(threshold.replace(',', '.'));
      if (threshold.trim() !== '' && !(Number.isFinite(value) && value > 0))
        throw new Invalid('threshold_m', t('equipment.thresholdInvalid'));
      part.threshold_m = threshold.trim() === '' ? null : toMetres(value, units);
    }
    // Fitted today: from now on. Fitted earlier: from the start of that day.
    if (installed && installed !== today()) part.installed_at = localInputToRfc3339(`${installed}T00:00`);
    await api(equipmentPath(item.id, '/components'), { method: 'POST', body: part });
    settle(queries);
    onDone();
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="card" data-testid="part-form">
      <FormError message={form.formError} />
      <div className="row">
        <Field label={t('equipment.field.partKind')} error={form.fieldError('kind')}>
          {(props) => (
            <select {...props} value={kind} onChange={(e) => setKind(e.target.value as ComponentKind)}>
              {COMPONENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`equipment.part.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <TextField
          label={t('equipment.field.partName')}
          error={form.fieldError('name')}
          value={name}
          onChange={setName}
        />
      </div>
      <div className="pair">
        <TextField
          label={t('equipment.field.threshold', { unit: distanceUnit(units, locale) })}
          error={form.fieldError('threshold_m')}
          inputMode="decimal"
          value={shownThreshold}
          onChange={setThreshold}
        />
        <Field label={t('equipment.field.installedOn')} error={form.fieldError('installed_at')}>
          {(props) => (
            <input
              {...props}
              type="date"
              max={today()}
              value={installed}
              onChange={(e) => setInstalled(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {t('equipment.addPart')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
