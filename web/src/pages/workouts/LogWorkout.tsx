import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { refreshTrainings } from '../../api/queries';
import type { NewWorkout, Workout } from '../../api/types';
import { useT } from '../../i18n';
import { sendNowOrLater } from '../../offline/outbox';
import { WorkoutForm } from './WorkoutForm';

/**
 * Logs a training by hand. Online it is sent at once; without a network, or
 * when the connection drops on the way, it waits in the outbox under the same
 * Idempotency-Key, so it reaches the server exactly once.
 */
export function LogWorkout() {
  const t = useT();
  const [, navigate] = useLocation();
  const queries = useQueryClient();

  const save = async (values: NewWorkout) => {
    const workout = await sendNowOrLater<Workout>({ kind: 'workout.create', payload: values });
    if (!workout) {
      navigate('/');
      return;
    }
    refreshTrainings(queries);
    navigate(`/workouts/${workout.id}`);
  };

  return (
    <>
      <h1>{t('log.title')}</h1>
      <WorkoutForm submitLabel={t('log.save')} onSubmit={save} />
    </>
  );
}
