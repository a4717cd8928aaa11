import { useRef } from 'react';
import { useLocation } from 'wouter';
import type { NewWorkout, Workout } from '../../api/types';
import { changeTraining, useTraining } from '../../api/workouts';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { WorkoutForm } from './WorkoutForm';

/** Edits a training from the device's copy; only what changed is kept and sent, offline too. */
export default function EditWorkout({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const training = useTraining(id);
  const workout = training.workout;
  // What the form opened with: a change arriving from elsewhere meanwhile is not undone by saving.
  const opened = useRef<Workout | undefined>(undefined);
  if (workout && !opened.current) opened.current = workout;

  if (!workout && training.isPending) return <Loading />;
  if (!workout) {
    if (training.deleted) return <p className="muted">{t('sync.deletedHere')}</p>;
    return <div className="alert">{describe(training.error, t, language === 'en')}</div>;
  }

  const save = async (values: NewWorkout) => {
    await changeTraining(opened.current ?? workout, values);
    navigate(`/workouts/${id}`);
  };

  return (
    <>
      <h1>{t('edit.title')}</h1>
      {/* Keyed by the training: a change arriving from another device while the form is open does not reset it. */}
      <WorkoutForm
        key={workout.id}
        workout={opened.current ?? workout}
        submitLabel={t('edit.save')}
        onSubmit={save}
      />
    </>
  );
}
