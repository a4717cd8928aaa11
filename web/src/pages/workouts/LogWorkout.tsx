import { useLocation } from 'wouter';
import type { NewWorkout } from '../../api/types';
import { logTraining } from '../../api/workouts';
import { useT } from '../../i18n';
import { WorkoutForm } from './WorkoutForm';

/**
 * Logs a training by hand. It is kept on the device first, under an id chosen
 * here, and sent at once when there is a network (a refusal shows in the
 * form); without one it waits, and its page already works.
 */
export function LogWorkout() {
  const t = useT();
  const [, navigate] = useLocation();

  const save = async (values: NewWorkout) => {
    const id = await logTraining(values);
    navigate(`/workouts/${id}`);
  };

  return (
    <>
      <h1>{t('log.title')}</h1>
      <WorkoutForm submitLabel={t('log.save')} onSubmit={save} />
    </>
  );
}
