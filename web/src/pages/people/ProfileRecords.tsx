import { Link } from 'wouter';
import type { ProfileRecord } from '../../api/types';
import { type Key, useI18n } from '../../i18n';
import { formatDay } from '../../lib/dates';
import { effortKey, formatDuration } from '../../lib/units';
import { useSportName } from '../workouts/sportName';

/** Someone's fastest times per sport and distance, among the trainings the viewer may see. */
export function ProfileRecords({ records }: { records: ProfileRecord[] }) {
  const { t, locale } = useI18n();
  const sportName = useSportName();
  if (records.length === 0) return null;
  const sports = [...new Set(records.map((r) => r.sport))];
  return (
    <section aria-labelledby="person-records-title">
      <h2 id="person-records-title">{t('person.records')}</h2>
      {sports.map((sport) => (
        <div key={sport} className="card">
          <h3 style={{ marginTop: 0 }}>{sportName(sport)}</h3>
          <table>
            <tbody>
              {records
                .filter((r) => r.sport === sport)
                .map((r) => (
                  <tr key={r.distance_m}>
                    <th scope="row">{t(effortKey(r.distance_m) as Key)}</th>
                    <td>
                      <Link href={`/workouts/${r.workout_id}`}>{formatDuration(r.seconds)}</Link>
                    </td>
                    <td className="muted small">{formatDay(r.started_at, locale)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
