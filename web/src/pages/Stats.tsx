import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { keys, useUnits } from '../api/queries';
import type { Stats as StatsAnswer } from '../api/types';
import { useI18n } from '../i18n';
import { formatDistance, formatDuration, formatElevation } from '../lib/units';
import { describe, Loading } from '../ui/forms';

type Period = 'week' | 'month' | 'year';

function periodLabel(start: string, period: Period, locale: string): string {
  const date = new Date(`${start}T00:00:00`);
  if (period === 'year') return String(date.getFullYear());
  if (period === 'month') return date.toLocaleDateString(locale, { month: 'short', year: 'numeric' });
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short' });
}

/** Totals per week, month or year: a bar per period and the numbers beside it. */
export default function Stats() {
  const { t, locale, language } = useI18n();
  const units = useUnits();
  const [period, setPeriod] = useState<Period>('week');
  const offset = -new Date().getTimezoneOffset();
  const stats = useQuery({
    queryKey: keys.stats(period),
    queryFn: () => api<StatsAnswer>(`/api/v1/stats?period=${period}&utc_offset_minutes=${offset}`),
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
          <button key={p} type="button" aria-pressed={period === p} onClick={() => setPeriod(p)}>
            {t(`stats.${p}`)}
          </button>
        ))}
      </fieldset>
      <p>
        <Link href="/records">{t('stats.toRecords')}</Link>
      </p>
      {stats.isPending && <Loading />}
      {stats.error && <div className="alert">{describe(stats.error, t, language === 'en')}</div>}
      {stats.data && (
        <div className="card" style={{ overflowX: 'auto' }}>
          <table>
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
    </>
  );
}
