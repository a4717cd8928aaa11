import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { api } from '../../api/client';
import { keys, refreshTrainings } from '../../api/queries';
import type { NewWorkout, Workout } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { useWorkout } from './useWorkout';
import { WorkoutForm } from './WorkoutForm';

export default function EditWorkout({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const workout = useWorkout(id);

  if (workout.isPending) return <Loading />;
  if (workout.error) return <div className="alert">{describe(workout.error, t, language === 'en')}</div>;

  const save = async (values: NewWorkout) => {
    // A file's own numbers are the file's: only what a person chose is sent.
    const { sport, title, notes, privacy, equipment_ids } = values;
    const changes = workout.data.file ? { sport, title, notes, privacy, equipment_ids } : values;
    const saved = await api<Workout>(`/api/v1/workouts/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      body: changes,
    });
    queries.setQueryData(keys.workout(id), { ...workout.data, ...saved, analysis: workout.data.analysis });
    refreshTrainings(queries);
    navigate(`/workouts/${id}`);
  };

  return (
    <>
      <h1>{t('edit.title')}</h1>
      <WorkoutForm workout={workout.data} submitLabel={t('edit.save')} onSubmit={save} />
    </>
  );
}
