import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { saveFinder, useFinderSuggestions } from '../../api/partners';
import { useAboutMe } from '../../api/people';
import { useSports, useUnits } from '../../api/queries';
import type { MyFinder, Seeking, SportLevel, TimeOfDay, Weekday } from '../../api/types';
import { useI18n } from '../../i18n';
import { usesPace } from '../../lib/units';
import { ChipChoice } from '../../ui/ChipChoice';
import { Field, FormError, Invalid, Loading } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useSportName } from '../workouts/sportName';
import { AreaChoice, type AreaSource } from './AreaChoice';
import {
  defaultLevel,
  levelUnit,
  MAX_KMH,
  MIN_KMH,
  paceText,
  parsePace,
  parseSpeed,
  speedText,
  TIMES,
  WEEKDAYS,
  weekdayName,
} from './levels';

const MAX_SPORTS = 10;
const DEFAULT_RADIUS_KM = 10;

/** A level as typed: for a pace sport `low` is the slowest pace, else the lowest speed. */
interface TypedLevel {
  sport: string;
  low: string;
  high: string;
  suggested: boolean;
}

interface Props {
  /** The opt-in being changed; none when opting in. */
  current?: MyFinder;
  onSaved: () => void;
  onCancel?: () => void;
}

/** Opting in, or changing what one looks for: waits for the suggestions and the profile to start from them. */
export function FinderForm(props: Props) {
  const suggestions = useFinderSuggestions(!props.current?.opted_in);
  const about = useAboutMe();
  const sports = useSports();
  const waiting =
    (!props.current?.opted_in && suggestions.isPending) ||
    about.isPending ||
    (sports.isPending && !sports.data);
  if (waiting) return <Loading />;
  return (
    <Form
      {...props}
      suggestions={suggestions.data ?? []}
      profileSports={about.data?.sports ?? []}
      profileArea={about.data?.home_area ?? null}
    />
  );
}

interface FormProps extends Props {
  suggestions: SportLevel[];
  profileSports: string[];
  profileArea: string | null;
}

function Form({ current, onSaved, onCancel, suggestions, profileSports, profileArea }: FormProps) {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const units = useUnits();
  const sportName = useSportName();
  const id = useId();
  const known = (useSports().data ?? []).filter((sport) => sport.has_distance);

  const typed = (level: SportLevel, suggested: boolean): TypedLevel =>
    usesPace(level.sport)
      ? {
          sport: level.sport,
          low: paceText(level.min_kmh, units),
          high: paceText(level.max_kmh, units),
          suggested,
        }
      : {
          sport: level.sport,
          low: speedText(level.min_kmh, units),
          high: speedText(level.max_kmh, units),
          suggested,
        };
  const levelFor = (sport: string): TypedLevel => {
    const suggestion = suggestions.find((s) => s.sport === sport);
    return typed(suggestion ?? defaultLevel(sport), Boolean(suggestion));
  };
  const start = (): TypedLevel[] => {
    if (current?.opted_in && current.sports.length > 0) return current.sports.map((s) => typed(s, false));
    if (suggestions.length > 0) return suggestions.slice(0, MAX_SPORTS).map((s) => typed(s, true));
    const fromProfile = profileSports.filter((sport) => known.some((k) => k.id === sport));
    return (fromProfile.length > 0 ? fromProfile : ['running']).map(levelFor);
  };

  const [levels, setLevels] = useState<TypedLevel[]>(start);
  const [days, setDays] = useState<Weekday[]>(current?.opted_in ? current.days : []);
  const [times, setTimes] = useState<TimeOfDay[]>(current?.opted_in ? current.times : []);
  const [radius, setRadius] = useState(
    current?.opted_in ? (current.radius_km ?? DEFAULT_RADIUS_KM) : DEFAULT_RADIUS_KM,
  );
  const [source, setSource] = useState<AreaSource>(profileArea || current?.opted_in ? 'profile' : 'here');
  const [here, setHere] = useState<string | null>(null);

  const chooseSports = (chosen: string[]) =>
    setLevels(chosen.map((sport) => levels.find((level) => level.sport === sport) ?? levelFor(sport)));
  const changeLevel = (sport: string, change: Partial<TypedLevel>) =>
    setLevels(
      levels.map((level) => (level.sport === sport ? { ...level, ...change, suggested: false } : level)),
    );

  const form = useSubmit(['sports', 'days', 'times', 'radius_km', 'home_area'], async () => {
    if (levels.length === 0) throw new Invalid('sports', t('partners.sportsMissing'));
    if (levels.length > MAX_SPORTS) throw new Invalid('sports', t('partners.sportsTooMany'));
    const sports: SportLevel[] = levels.map((level) => {
      const parse = usesPace(level.sport) ? parsePace : parseSpeed;
      const low = parse(level.low, units);
      const high = parse(level.high, units);
      const valid = (kmh: number | null) => kmh !== null && kmh >= MIN_KMH && kmh <= MAX_KMH;
      if (!valid(low) || !valid(high) || low === null || high === null) {
        throw new Invalid(
          'sports',
          t(usesPace(level.sport) ? 'partners.paceInvalid' : 'partners.speedInvalid', {
            sport: sportName(level.sport),
          }),
        );
      }
      const round = (kmh: number) => Math.round(kmh * 100) / 100;
      return { sport: level.sport, min_kmh: round(Math.min(low, high)), max_kmh: round(Math.max(low, high)) };
    });
    if (days.length === 0) throw new Invalid('days', t('partners.daysMissing'));
    if (times.length === 0) throw new Invalid('times', t('partners.timesMissing'));
    const choice: Seeking = { sports, days, times, radius_km: radius };
    if (source === 'here') {
      if (!here) throw new Invalid('home_area', t('partners.areaHereMissing'));
      choice.home_area = here;
    } else if (!profileArea) {
      throw new Invalid('home_area', t('partners.areaProfileMissing'));
    }
    await saveFinder(queries, choice);
    onSaved();
  });

  return (
    <form className="card finder-form" onSubmit={form.onSubmit} noValidate data-testid="finder-form">
      <FormError message={form.formError} />
      <ChipChoice
        legend={t('partners.sports')}
        hint={t('partners.sportsHint')}
        options={known.map((sport) => ({ value: sport.id, label: `${sport.icon} ${sportName(sport.id)}` }))}
        chosen={levels.map((level) => level.sport)}
        onChange={chooseSports}
        error={form.fieldError('sports')}
        testId="finder-sports"
      />
      {levels.map((level) => {
        const pace = usesPace(level.sport);
        const unit = levelUnit(level.sport, units, locale, t('partners.minutes'));
        return (
          <fieldset key={level.sport} className="field level" data-testid={`level-${level.sport}`}>
            <legend>
              {t(pace ? 'partners.paceOf' : 'partners.speedOf', { sport: sportName(level.sport) })}
            </legend>
            <div className="row">
              <Field label={t(pace ? 'partners.paceFast' : 'partners.speedLow', { unit })}>
                {(props) => (
                  <input
                    {...props}
                    inputMode={pace ? 'text' : 'decimal'}
                    placeholder={pace ? '5:00' : undefined}
                    value={pace ? level.high : level.low}
                    onChange={(e) =>
                      changeLevel(level.sport, pace ? { high: e.target.value } : { low: e.target.value })
                    }
                  />
                )}
              </Field>
              <Field label={t(pace ? 'partners.paceSlow' : 'partners.speedHigh', { unit })}>
                {(props) => (
                  <input
                    {...props}
                    inputMode={pace ? 'text' : 'decimal'}
                    placeholder={pace ? '6:30' : undefined}
                    value={pace ? level.low : level.high}
                    onChange={(e) =>
                      changeLevel(level.sport, pace ? { low: e.target.value } : { high: e.target.value })
                    }
                  />
                )}
              </Field>
            </div>
            {level.suggested && <p className="small muted level-hint">{t('partners.suggested')}</p>}
          </fieldset>
        );
      })}
      <ChipChoice
        legend={t('partners.days')}
        options={WEEKDAYS.map((day) => ({ value: day, label: weekdayName(day, locale) }))}
        chosen={days}
        onChange={(chosen) => setDays(WEEKDAYS.filter((day) => chosen.includes(day)))}
        error={form.fieldError('days')}
        testId="finder-days"
      />
      <ChipChoice
        legend={t('partners.times')}
        options={TIMES.map((time) => ({ value: time, label: t(`partners.time.${time}`) }))}
        chosen={times}
        onChange={(chosen) => setTimes(TIMES.filter((time) => chosen.includes(time)))}
        error={form.fieldError('times')}
        testId="finder-times"
      />
      <div className="field radius">
        <label htmlFor={`${id}-radius`}>{t('partners.radius')}</label>
        <div className="radius-row">
          <input
            id={`${id}-radius`}
            type="range"
            min={1}
            max={100}
            step={1}
            value={radius}
            aria-valuetext={t('partners.km', { km: radius })}
            onChange={(e) => setRadius(Number(e.target.value))}
          />
          <output htmlFor={`${id}-radius`}>{t('partners.km', { km: radius })}</output>
        </div>
        {form.fieldError('radius_km') && (
          <span className="error" role="alert">
            {form.fieldError('radius_km')}
          </span>
        )}
      </div>
      <AreaChoice
        source={source}
        onSource={setSource}
        profileArea={profileArea}
        here={here}
        onHere={setHere}
        error={form.fieldError('home_area')}
      />
      <div className="actions">
        {onCancel && (
          <button type="button" className="secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button type="submit" disabled={form.pending}>
          {current?.opted_in ? t('common.save') : t('partners.optIn')}
        </button>
      </div>
    </form>
  );
}
