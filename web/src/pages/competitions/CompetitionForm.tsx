import { useState } from 'react';
import { useSports } from '../../api/queries';
import type { CompetitionKind, NewCompetition } from '../../api/types';
import { type Key, useI18n } from '../../i18n';
import { localInputToRfc3339, localInputValue } from '../../lib/dates';
import { effortKey } from '../../lib/units';
import { ChipChoice } from '../../ui/ChipChoice';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useSportName } from '../workouts/sportName';
import { inOwnWords } from './problems';
import { deviceTimeZone, EFFORTS, KINDS } from './wording';

const FIELDS = [
  'title',
  'description',
  'kind',
  'effort_m',
  'sports',
  'starts_at',
  'ends_at',
  'time_zone',
  'region',
  'entry_limit',
];

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const GEOHASH = /^[0-9b-hjkmnp-z]{1,5}$/;

/** The next full hour on the device's clock. */
function nextHour(): Date {
  return new Date(Math.ceil(Date.now() / HOUR_MS) * HOUR_MS);
}

interface Props {
  onSubmit: (values: NewCompetition) => Promise<void>;
  onCancel: () => void;
}

/** What an organiser sets up: title, what counts and how, when, and who may enter. */
export function CompetitionForm({ onSubmit, onCancel }: Props) {
  const { t, language } = useI18n();
  const sports = useSports();
  const sportName = useSportName();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [kind, setKind] = useState<CompetitionKind>('distance');
  const [effort, setEffort] = useState('5000');
  const [chosenSports, setChosenSports] = useState<string[]>(['running']);
  const [starts, setStarts] = useState(() => localInputValue(nextHour()));
  const [ends, setEnds] = useState(() => localInputValue(new Date(nextHour().getTime() + 7 * DAY_MS)));
  const [timeZone, setTimeZone] = useState(deviceTimeZone);
  const [inviteOnly, setInviteOnly] = useState(false);
  const [region, setRegion] = useState('');
  const [limit, setLimit] = useState('');

  const own: Record<string, string> = {
    title: t('competitions.titleMissing'),
    description: t('competitions.descriptionTooLong'),
    effort_m: t('competitions.effortMissing'),
    sports: t('competitions.sportsMissing'),
    starts_at: t('competitions.startsInvalid'),
    ends_at: t('competitions.endsInvalid'),
    time_zone: t('competitions.timeZoneInvalid'),
    region: t('competitions.regionInvalid'),
    entry_limit: t('competitions.limitInvalid'),
  };

  const form = useSubmit(FIELDS, async () => {
    if (!title.trim()) throw new Invalid('title', t('competitions.titleMissing'));
    if (chosenSports.length === 0) throw new Invalid('sports', t('competitions.sportsMissing'));
    if (!starts) throw new Invalid('starts_at', t('competitions.startsInvalid'));
    if (!ends || new Date(ends) <= new Date(starts))
      throw new Invalid('ends_at', t('competitions.endsInvalid'));
    const area = region.trim().toLowerCase();
    if (area && !GEOHASH.test(area)) throw new Invalid('region', t('competitions.regionInvalid'));
    const most = limit.trim() === '' ? null : Number(limit);
    if (most !== null && !(Number.isInteger(most) && most >= 1 && most <= 1_000_000))
      throw new Invalid('entry_limit', t('competitions.limitInvalid'));
    await inOwnWords(
      () =>
        onSubmit({
          title: title.trim(),
          description: description.trim(),
          kind,
          effort_m: kind === 'fastest' ? Number(effort) : null,
          sports: chosenSports,
          starts_at: localInputToRfc3339(starts),
          ends_at: localInputToRfc3339(ends),
          time_zone: timeZone.trim(),
          invite_only: inviteOnly,
          region: area || null,
          entry_limit: most,
        }),
      own,
      language === 'en',
    );
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="card" data-testid="competition-form">
      <FormError message={form.formError} />
      <TextField
        label={t('competitions.field.title')}
        value={title}
        onChange={setTitle}
        error={form.fieldError('title')}
      />
      <Field label={t('competitions.field.description')} error={form.fieldError('description')}>
        {(props) => (
          <textarea
            {...props}
            maxLength={2000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
      <div className="pair">
        <Field
          label={t('competitions.field.kind')}
          hint={t(`competitions.joinHint.${kind}`)}
          error={form.fieldError('kind')}
        >
          {(props) => (
            <select {...props} value={kind} onChange={(e) => setKind(e.target.value as CompetitionKind)}>
              {KINDS.map((value) => (
                <option key={value} value={value}>
                  {t(`competitions.kind.${value}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind === 'fastest' && (
          <Field label={t('competitions.field.effort')} error={form.fieldError('effort_m')}>
            {(props) => (
              <select {...props} value={effort} onChange={(e) => setEffort(e.target.value)}>
                {EFFORTS.map((metres) => (
                  <option key={metres} value={String(metres)}>
                    {t(effortKey(metres) as Key)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      <ChipChoice
        legend={t('competitions.field.sports')}
        options={(sports.data ?? [{ id: 'running' }]).map((sport) => ({
          value: sport.id,
          label: sportName(sport.id),
        }))}
        chosen={chosenSports}
        onChange={setChosenSports}
        error={form.fieldError('sports')}
        testId="competition-sports"
      />
      <div className="pair">
        <TextField
          label={t('competitions.field.startsAt')}
          type="datetime-local"
          value={starts}
          onChange={setStarts}
          error={form.fieldError('starts_at')}
        />
        <TextField
          label={t('competitions.field.endsAt')}
          type="datetime-local"
          value={ends}
          onChange={setEnds}
          error={form.fieldError('ends_at')}
        />
      </div>
      <TextField
        label={t('competitions.field.timeZone')}
        hint={t('competitions.timeZoneHint')}
        value={timeZone}
        onChange={setTimeZone}
        error={form.fieldError('time_zone')}
      />
      <label className="check">
        <input type="checkbox" checked={inviteOnly} onChange={(e) => setInviteOnly(e.target.checked)} />
        {t('competitions.field.inviteOnly')}
      </label>
      <p className="hint-under">{t('competitions.inviteOnlyHint')}</p>
      <div className="pair">
        <TextField
          label={t('competitions.field.regionOptional')}
          hint={t('competitions.regionHint')}
          placeholder="u2"
          value={region}
          onChange={setRegion}
          error={form.fieldError('region')}
        />
        <TextField
          label={t('competitions.field.limit')}
          hint={t('competitions.limitHint')}
          inputMode="numeric"
          value={limit}
          onChange={setLimit}
          error={form.fieldError('entry_limit')}
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {t('competitions.create')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
