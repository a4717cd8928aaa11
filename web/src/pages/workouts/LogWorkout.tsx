import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import { ApiError } from '../../api/problem';
import { refreshTrainings } from '../../api/queries';
import type { NewWorkout, Workout } from '../../api/types';
import { useT } from '../../i18n';
import { newId } from '../../lib/id';
import { enqueueWorkout } from '../../offline/outbox';
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
    const key = newId();
    if (!navigator.onLine) {
      await enqueueWorkout(values, key);
      navigate('/');
      return;
    }
    try {
      const workout = await api<Workout>('/api/v1/workouts', {
        method: 'POST',
        body: values,
        headers: { 'idempotency-key': key },
      });
      refreshTrainings(queries);
      navigate(`/workouts/${workout.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.isTransient) {
        await enqueueWorkout(values, key);
        navigate('/');
        return;
      }
      throw error;
    }
  };

  return (
    <>
      <h1>{t('log.title')}</h1>
      <WorkoutForm submitLabel={t('log.save')} onSubmit={save} />
    </>
  );
}
