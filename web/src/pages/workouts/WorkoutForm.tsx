import { useState } from 'react';
import { useAccount, useSports, useUnits } from '../../api/queries';
import type { NewWorkout, Privacy, Workout } from '../../api/types';
import { useI18n } from '../../i18n';
import { localInputToRfc3339, localInputValue } from '../../lib/dates';
import { distanceUnit, elevationToMetres, elevationUnit, elevationValue, toMetres } from '../../lib/units';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { EquipmentPicker, useDefaultEquipment } from './EquipmentPicker';
import { PrivacySelect } from './PrivacySelect';
import { useSportName } from './sportName';

export const WORKOUT_FIELDS = [
  'sport',
  'started_at',
  'duration_s',
  'ended_at',
  'distance_m',
  'elevation_gain_m',
  'title',
  'notes',
  'privacy',
  'equipment_ids',
];

interface Props {
  /** The workout being edited; none for a new one. */
  workout?: Workout;
  submitLabel: string;
  onSubmit: (values: NewWorkout) => Promise<void>;
}

function split(seconds: number) {
  return {
    h: String(Math.floor(seconds / 3600)),
    m: String(Math.floor((seconds % 3600) / 60)),
    s: String(Math.round(seconds % 60)),
  };
}

/** The fields of a training typed by hand; a file's own numbers are not offered for editing. */
export function WorkoutForm({ workout, submitLabel, onSubmit }: Props) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sports = useSports();
  const account = useAccount();
  const sportName = useSportName();
  const fromFile = Boolean(workout?.file);
  const duration = split(workout?.duration_s ?? 0);

  const [sport, setSport] = useState(workout?.sport ?? 'running');
  const [start, setStart] = useState(localInputValue(workout ? new Date(workout.started_at) : new Date()));
  const [hours, setHours] = useState(workout ? duration.h : '');
  const [minutes, setMinutes] = useState(workout ? duration.m : '');
  const [seconds, setSeconds] = useState(workout ? duration.s : '');
  const [distance, setDistance] = useState(
    workout?.distance_m ? String(+(workout.distance_m / toMetres(1, units)).toFixed(2)) : '',
  );
  const [climb, setClimb] = useState(
    workout?.elevation_gain_m ? String(Math.round(elevationValue(workout.elevation_gain_m, units))) : '',
  );
  const [title, setTitle] = useState(workout?.title ?? '');
  const [notes, setNotes] = useState(workout?.notes ?? '');
  const [privacy, setPrivacy] = useState<Privacy | ''>(workout?.privacy ?? '');
  // A new training takes the sport's defaults until the person picks for themselves.
  const [equipment, setEquipment] = useState<string[] | null>(workout?.equipment_ids ?? null);
  const defaults = useDefaultEquipment(sport);
  const hasDistance = sports.data?.find((s) => s.id === sport)?.has_distance ?? true;

  const number = (text: string, field: string, message: string) => {
    const value = Number(text.replace(',', '.'));
    if (text.trim() === '') return undefined;
    if (!Number.isFinite(value) || value < 0) throw new Invalid(field, message);
    return value;
  };

  const form = useSubmit(WORKOUT_FIELDS, async () => {
    if (!start) throw new Invalid('started_at', t('log.startMissing'));
    const values: NewWorkout = {
      sport,
      title: title.trim(),
      notes: notes.trim(),
      privacy: privacy || account.data?.default_privacy || 'private',
      started_at: localInputToRfc3339(start),
      duration_s: 0,
    };
    // Without the person's equipment on this device, the server applies the sport's defaults itself.
    const equipmentIds = equipment ?? defaults;
    if (equipmentIds) values.equipment_ids = equipmentIds;
    if (!fromFile) {
      if (new Date(start).getTime() > Date.now() + 60_000)
        throw new Invalid('started_at', t('log.startFuture'));
      const total =
        (number(hours, 'duration_s', t('log.durationInvalid')) ?? 0) * 3600 +
        (number(minutes, 'duration_s', t('log.durationInvalid')) ?? 0) * 60 +
        (number(seconds, 'duration_s', t('log.durationInvalid')) ?? 0);
      if (total <= 0) throw new Invalid('duration_s', t('log.durationMissing'));
      values.duration_s = total;
      const km = hasDistance ? number(distance, 'distance_m', t('log.distanceInvalid')) : undefined;
      if (km !== undefined) values.distance_m = toMetres(km, units);
      const gain = number(climb, 'elevation_gain_m', t('log.climbInvalid'));
      if (gain !== undefined) values.elevation_gain_m = elevationToMetres(gain, units);
    }
    await onSubmit(values);
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="card">
      <FormError message={form.formError} />
      <Field label={t('field.sport')} error={form.fieldError('sport')}>
        {(props) => (
          <select {...props} value={sport} onChange={(e) => setSport(e.target.value)}>
            {(sports.data ?? [{ id: 'running', icon: '🏃' }]).map((s) => (
              <option key={s.id} value={s.id}>
                {s.icon} {sportName(s.id)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('field.title')} error={form.fieldError('title')}>
        {(props) => (
          <input
            {...props}
            value={title}
            placeholder={sportName(sport)}
            onChange={(e) => setTitle(e.target.value)}
          />
        )}
      </Field>
      {!fromFile && (
        <>
          <TextField
            label={t('field.start')}
            error={form.fieldError('started_at')}
            type="datetime-local"
            value={start}
            onChange={setStart}
          />
          <fieldset className="field" style={{ border: 'none', padding: 0, margin: '0 0 0.9rem' }}>
            <legend style={{ fontWeight: 600, fontSize: '0.92rem', marginBottom: '0.3rem' }}>
              {t('field.duration')}
            </legend>
            <div className="row3">
              {(
                [
                  ['field.hours', 'field.hoursShort', hours, setHours],
                  ['field.minutes', 'field.minutesShort', minutes, setMinutes],
                  ['field.seconds', 'field.secondsShort', seconds, setSeconds],
                ] as const
              ).map(([label, short, value, set]) => (
                <input
                  key={label}
                  aria-label={t(label)}
                  placeholder={t(short)}
                  inputMode="numeric"
                  value={value}
                  aria-invalid={Boolean(form.fieldError('duration_s'))}
                  onChange={(e) => set(e.target.value)}
                />
              ))}
            </div>
            {form.fieldError('duration_s') && (
              <span className="error" role="alert">
                {form.fieldError('duration_s')}
              </span>
            )}
          </fieldset>
          <div className="row">
            {hasDistance && (
              <TextField
                label={t('field.distanceIn', { unit: distanceUnit(units, locale) })}
                error={form.fieldError('distance_m')}
                inputMode="decimal"
                value={distance}
                onChange={setDistance}
              />
            )}
            <TextField
              label={t('field.climbIn', { unit: elevationUnit(units, locale) })}
              error={form.fieldError('elevation_gain_m')}
              inputMode="decimal"
              value={climb}
              onChange={setClimb}
            />
          </div>
        </>
      )}
      <EquipmentPicker
        sport={sport}
        chosen={equipment}
        onChange={setEquipment}
        error={form.fieldError('equipment_ids')}
      />
      <Field label={t('field.notes')} error={form.fieldError('notes')}>
        {(props) => <textarea {...props} value={notes} onChange={(e) => setNotes(e.target.value)} />}
      </Field>
      <PrivacySelect
        value={privacy || account.data?.default_privacy || 'private'}
        onChange={setPrivacy}
        error={form.fieldError('privacy')}
      />
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
