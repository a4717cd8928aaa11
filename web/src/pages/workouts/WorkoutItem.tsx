import { Link } from 'wouter';
import { useSports, useUnits } from '../../api/queries';
import type { Workout } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDay } from '../../lib/dates';
import { formatDistance, formatDuration } from '../../lib/units';
import type { LocalWorkout } from '../../offline/workoutView';
import { useSportName } from './sportName';

/** A training in a list; one whose change waits on the device (or was refused) says so. */
export function WorkoutItem({ workout }: { workout: Workout | LocalWorkout }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sports = useSports();
  const sportName = useSportName();
  const sport = sports.data?.find((s) => s.id === workout.sport);
  const local = 'onServer' in workout ? workout : undefined;
  return (
    <li>
      <Link href={`/workouts/${workout.id}`} className="workout-item">
        <span className="sport" aria-hidden="true">
          {sport?.icon ?? '⭐'}
        </span>
        <span>
          <span className="title">{workout.title || sportName(workout.sport)}</span>
          <br />
          <span className="meta">
            {sportName(workout.sport)} · {formatDay(workout.started_at, locale)}
          </span>
          {local?.refused ? (
            <span className="sync-mark refused">{t('sync.markRefused')}</span>
          ) : (
            local?.waiting && <span className="sync-mark">{t('sync.markWaiting')}</span>
          )}
        </span>
        <span className="numbers">
          {workout.distance_m ? formatDistance(workout.distance_m, units, locale) : ''}
          <br />
          <span className="meta">{formatDuration(workout.duration_s)}</span>
        </span>
      </Link>
    </li>
  );
}
