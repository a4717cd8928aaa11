import { useState } from 'react';
import { useSports, useUnits } from '../../api/queries';
import type { Equipment, EquipmentKind, NewEquipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { today } from '../../lib/dates';
import { defaultThreshold, EQUIPMENT_KINDS } from '../../lib/equipment';
import { distanceUnit, toMetres } from '../../lib/units';
import { ChipChoice } from '../../ui/ChipChoice';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useSportName } from '../workouts/sportName';

export const EQUIPMENT_FIELDS = [
  'kind',
  'brand',
  'model',
  'nickname',
  'purchased_on',
  'price',
  'currency',
  'notes',
  'sports',
  'default_for',
  'threshold_m',
];

interface Props {
  /** The item being edited; none for a new one. */
  item?: Equipment;
  submitLabel: string;
  /** `threshold_m` is sent only when the person touched it (a new item otherwise gets its kind's). */
  onSubmit: (values: NewEquipment) => Promise<void>;
  onCancel?: () => void;
}

/** An item's fields; the warning distance is typed in the person's units. */
export function EquipmentForm({ item, submitLabel, onSubmit, onCancel }: Props) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sports = useSports();
  const sportName = useSportName();
  const inUnits = (metres: number | null | undefined) =>
    metres ? String(+(metres / toMetres(1, units)).toFixed(1)) : '';

  const [kind, setKind] = useState<EquipmentKind>(item?.kind ?? 'shoes');
  const [brand, setBrand] = useState(item?.brand ?? '');
  const [model, setModel] = useState(item?.model ?? '');
  const [nickname, setNickname] = useState(item?.nickname ?? '');
  const [purchased, setPurchased] = useState(item?.purchased_on ?? '');
  const [price, setPrice] = useState(item?.price != null ? String(item.price) : '');
  const [currency, setCurrency] = useState(item?.currency ?? '');
  const [notes, setNotes] = useState(item?.notes ?? '');
  const [usedFor, setUsedFor] = useState<string[]>(item?.sports ?? []);
  const [defaultFor, setDefaultFor] = useState<string[]>(item?.default_for ?? []);
  // Null until typed in: it follows the kind's default (or the item's own threshold).
  const [threshold, setThreshold] = useState<string | null>(null);
  const shownThreshold = threshold ?? inUnits(item ? item.threshold_m : defaultThreshold(kind));

  const chooseSports = (chosen: string[]) => {
    setUsedFor(chosen);
    setDefaultFor(defaultFor.filter((sport) => chosen.includes(sport)));
  };
  const sportChip = (id: string) => ({
    value: id,
    label: (
      <>
        <span aria-hidden="true">{sports.data?.find((s) => s.id === id)?.icon}</span> {sportName(id)}
      </>
    ),
  });

  const form = useSubmit(EQUIPMENT_FIELDS, async () => {
    const number = (text: string, field: string, message: string) => {
      if (text.trim() === '') return null;
      const value = Number(text.replace(',', '.'));
      if (!Number.isFinite(value) || value < 0) throw new Invalid(field, message);
      return value;
    };
    if (!brand.trim() && !model.trim() && !nickname.trim())
      throw new Invalid('nickname', t('equipment.nameMissing'));
    const values: NewEquipment = {
      kind,
      brand: brand.trim(),
      model: model.trim(),
      nickname: nickname.trim(),
      purchased_on: purchased || null,
      price: number(price, 'price', t('equipment.priceInvalid')),
      currency: currency.trim().toUpperCase() || null,
      notes: notes.trim(),
      sports: usedFor,
      default_for: defaultFor,
    };
    if (threshold !== null) {
      const limit = number(threshold, 'threshold_m', t('equipment.thresholdInvalid'));
      if (limit === 0) throw new Invalid('threshold_m', t('equipment.thresholdInvalid'));
      values.threshold_m = limit === null ? null : toMetres(limit, units);
    }
    await onSubmit(values);
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="card" data-testid="equipment-form">
      <FormError message={form.formError} />
      <Field label={t('equipment.field.kind')} error={form.fieldError('kind')}>
        {(props) => (
          <select {...props} value={kind} onChange={(e) => setKind(e.target.value as EquipmentKind)}>
            {EQUIPMENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`equipment.kind.${k}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="row">
        <TextField
          label={t('equipment.field.brand')}
          error={form.fieldError('brand')}
          value={brand}
          onChange={setBrand}
        />
        <TextField
          label={t('equipment.field.model')}
          error={form.fieldError('model')}
          value={model}
          onChange={setModel}
        />
      </div>
      <TextField
        label={t('equipment.field.nickname')}
        hint={t('equipment.nicknameHint')}
        error={form.fieldError('nickname')}
        value={nickname}
        onChange={setNickname}
      />
      <ChipChoice
        legend={t('equipment.field.sports')}
        options={(sports.data ?? []).map((s) => sportChip(s.id))}
        chosen={usedFor}
        onChange={chooseSports}
        error={form.fieldError('sports')}
        testId="equipment-sports"
      />
      <ChipChoice
        legend={t('equipment.field.defaultFor')}
        options={usedFor.map(sportChip)}
        chosen={defaultFor}
        onChange={setDefaultFor}
        hint={usedFor.length ? t('equipment.defaultForHint') : t('equipment.defaultForFirst')}
        error={form.fieldError('default_for')}
        testId="equipment-default-for"
      />
      <TextField
        label={t('equipment.field.threshold', { unit: distanceUnit(units, locale) })}
        hint={t('equipment.thresholdHint')}
        error={form.fieldError('threshold_m')}
        inputMode="decimal"
        value={shownThreshold}
        onChange={setThreshold}
      />
      <Field label={t('equipment.field.purchasedOn')} error={form.fieldError('purchased_on')}>
        {(props) => (
          <input
            {...props}
            type="date"
            max={today()}
            value={purchased}
            onChange={(e) => setPurchased(e.target.value)}
          />
        )}
      </Field>
      <div className="row">
        <TextField
          label={t('equipment.field.price')}
          error={form.fieldError('price')}
          inputMode="decimal"
          value={price}
          onChange={setPrice}
        />
        <Field label={t('equipment.field.currency')} error={form.fieldError('currency')}>
          {(props) => (
            <input
              {...props}
              value={currency}
              maxLength={3}
              autoCapitalize="characters"
              placeholder="EUR"
              onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            />
          )}
        </Field>
      </div>
      <Field label={t('field.notes')} error={form.fieldError('notes')}>
        {(props) => <textarea {...props} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
