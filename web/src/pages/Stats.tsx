import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { keys, useUnits } from '../api/queries';
import type { Stats as StatsAnswer } from '../api/types';
import { useI18n } from '../i18n';
import { formatDistance, formatDuration, formatElevation } from '../lib/units';
import { describe, Loading } from '../ui/forms';
import { useSportName } from './workouts/sportName';

type Period = 'week' | 'month' | 'year';

/** How many periods one page shows; the server's default range is as long. */
const PER_PAGE = 12;

function periodLabel(start: string, period: Period, locale: string): string {
  const date = new Date(`${start}T00:00:00`);
  if (period === 'year') return String(date.getFullYear());
  if (period === 'month') return date.toLocaleDateString(locale, { month: 'short', year: 'numeric' });
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

/** A day of the API (`2026-11-25`) in the reader's words, on the calendar as written. */
function dayLabel(day: string, locale: string): string {
  return new Date(`${day}T00:00:00`).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/**
 * The last day of the page `back` pages before the current one (the server
 * counts twelve periods back from it); none for the current page: today.
 */
function pageEnd(period: Period, back: number, today = new Date()): string | undefined {
  if (back === 0) return undefined;
  if (period === 'week') {
    const day = new Date(today);
    day.setDate(day.getDate() - 7 * PER_PAGE * back);
    return isoDay(day);
  }
  if (period === 'month') {
    // Day 0 of the next month is the last of this one.
    return isoDay(new Date(today.getFullYear(), today.getMonth() - PER_PAGE * back + 1, 0));
  }
  return `${today.getFullYear() - PER_PAGE * back}-12-31`;
}

/** Per sport over the range shown: how many, how far, how long, how high. */
function BySport({ stats }: { stats: StatsAnswer }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sportName = useSportName();
  const sports = Object.entries(stats.by_sport ?? {}).sort(([, a], [, b]) => b.duration_s - a.duration_s);
  if (sports.length === 0) return null;
  return (
    <section aria-labelledby="by-sport-title" className="card" style={{ overflowX: 'auto' }}>
      <h2 id="by-sport-title" style={{ marginTop: 0 }}>
        {t('stats.bySport')}
      </h2>
      <table data-testid="by-sport">
        <thead>
          <tr>
            <th scope="col">{t('field.sport')}</th>
            <th scope="col">{t('stats.workouts')}</th>
            <th scope="col">{t('stats.distance')}</th>
            <th scope="col">{t('stats.time')}</th>
            <th scope="col" className="wide-only">
              {t('stats.climb')}
            </th>
          </tr>
        </thead>
        <tbody>
          {sports.map(([sport, total]) => (
            <tr key={sport}>
              <th scope="row">{sportName(sport)}</th>
              <td>{total.count}</td>
              <td>{total.distance_m > 0 ? formatDistance(total.distance_m, units, locale) : '—'}</td>
              <td>{formatDuration(total.duration_s)}</td>
              <td className="wide-only">{formatElevation(total.elevation_gain_m, units, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Totals per week, month or year: a bar per period and the numbers beside it, twelve at a time. */
export default function Stats() {
  const { t, locale, language } = useI18n();
  const units = useUnits();
  const [period, setPeriod] = useState<Period>('week');
  const [back, setBack] = useState(0);
  const offset = -new Date().getTimezoneOffset();
  const to = pageEnd(period, back);
  const stats = useQuery({
    queryKey: [...keys.stats(period), to ?? 'now'],
    queryFn: () =>
      api<StatsAnswer>(`/api/v1/stats?period=${period}&utc_offset_minutes=${offset}${to ? `&to=${to}` : ''}`),
    // The page shown stays while an earlier one loads.
    placeholderData: keepPreviousData,
  });
  const periods = [...(stats.data?.periods ?? [])].reverse();
  const longest = Math.max(1, ...periods.map((p) => p.total.distance_m || p.total.duration_s));
  const byDistance = periods.some((p) => p.total.distance_m > 0);

  return (
    <>
      <h1>{t('stats.title')}</h1>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('stats.period')}</legend>
        {(['week', 'month', 'year'] as Period[]).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={period === p}
            onClick={() => {
              setPeriod(p);
              setBack(0);
            }}
          >
            {t(`stats.${p}`)}
          </button>
        ))}
      </fieldset>
      <p>
        <Link href="/records">{t('stats.toRecords')}</Link>
      </p>
      <nav className="pager" aria-label={t('stats.pages')}>
        <button type="button" className="secondary" onClick={() => setBack(back + 1)}>
          {t('stats.earlier')}
        </button>
        <button type="button" className="secondary" onClick={() => setBack(back - 1)} disabled={back === 0}>
          {t('stats.later')}
        </button>
        {stats.data && (
          <span className="small muted" data-testid="stats-range">
            {dayLabel(stats.data.from, locale)} – {dayLabel(stats.data.to, locale)}
          </span>
        )}
      </nav>
      {stats.isPending && <Loading />}
      {stats.error && <div className="alert">{describe(stats.error, t, language === 'en')}</div>}
      {stats.data && (
        <div className="card" style={{ overflowX: 'auto' }}>
          <table data-testid="periods">
            <thead>
              <tr>
                <th scope="col">{t(`stats.${period}`)}</th>
                <th scope="col">{t('stats.workouts')}</th>
                <th scope="col">{t('stats.distance')}</th>
                <th scope="col">{t('stats.time')}</th>
                <th scope="col" className="wide-only">
                  {t('stats.climb')}
                </th>
                <th scope="col" className="wide-only" style={{ width: '25%' }}>
                  <span className="visually-hidden">{t('workout.relative')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {periods.map((p) => (
                <tr key={p.start}>
                  <th scope="row">{periodLabel(p.start, period, locale)}</th>
                  <td>{p.total.workouts}</td>
                  <td>{formatDistance(p.total.distance_m, units, locale)}</td>
                  <td>{formatDuration(p.total.duration_s)}</td>
                  <td className="wide-only">{formatElevation(p.total.elevation_gain_m, units, locale)}</td>
                  <td className="wide-only">
                    <div
                      className="bar"
                      style={{
                        width: `${((byDistance ? p.total.distance_m : p.total.duration_s) / longest) * 100}%`,
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {stats.data && <BySport stats={stats.data} />}
    </>
  );
}
