import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { api } from '../api/client';
import { keys, useUnits } from '../api/queries';
import type { RecordValue, SportRecords } from '../api/types';
import { type Key, useI18n } from '../i18n';
import { formatDay } from '../lib/dates';
import { effortKey, formatDistance, formatDuration, formatElevation } from '../lib/units';
import { describe, Loading } from '../ui/forms';
import { useSportName } from './workouts/sportName';

function Row({ label, value, record }: { label: string; value: string; record: RecordValue }) {
  const { locale } = useI18n();
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <Link href={`/workouts/${record.workout_id}`}>{value}</Link>
      </td>
      <td className="muted small">{formatDay(record.achieved_at, locale)}</td>
    </tr>
  );
}

/** The person's best per sport: fastest distances and the longest and highest. */
export default function Records() {
  const { t, locale, language } = useI18n();
  const units = useUnits();
  const sportName = useSportName();
  const records = useQuery({ queryKey: keys.records, queryFn: () => api<SportRecords[]>('/api/v1/records') });
  return (
    <>
      <h1>{t('records.title')}</h1>
      <nav className="actions records-links" aria-label={t('records.elsewhere')}>
        <Link href="/leaderboards" className="button secondary small-button">
          {t('leaderboards.link')}
        </Link>
        <Link href="/competitions" className="button secondary small-button">
          {t('nav.competitions')}
        </Link>
      </nav>
      {records.isPending && <Loading />}
      {records.error && <div className="alert">{describe(records.error, t, language === 'en')}</div>}
      {records.data?.length === 0 && <p className="muted">{t('records.empty')}</p>}
      {records.data?.map((sport) => (
        <section key={sport.sport} className="card" aria-labelledby={`records-${sport.sport}`}>
          <h2 id={`records-${sport.sport}`} style={{ marginTop: 0 }}>
            {sportName(sport.sport)}
          </h2>
          <table>
            <tbody>
              {sport.best_efforts.map((effort) => (
                <Row
                  key={effort.distance_m}
                  label={t(effortKey(effort.distance_m) as Key)}
                  value={formatDuration(effort.value)}
                  record={effort}
                />
              ))}
              {sport.longest_distance && (
                <Row
                  label={t('records.longestDistance')}
                  value={formatDistance(sport.longest_distance.value, units, locale)}
                  record={sport.longest_distance}
                />
              )}
              {sport.longest_duration && (
                <Row
                  label={t('records.longestDuration')}
                  value={formatDuration(sport.longest_duration.value)}
                  record={sport.longest_duration}
                />
              )}
              {sport.most_elevation_gain && (
                <Row
                  label={t('records.mostClimb')}
                  value={formatElevation(sport.most_elevation_gain.value, units, locale)}
                  record={sport.most_elevation_gain}
                />
              )}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
