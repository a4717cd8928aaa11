/**
 * The person's trainings: read from the device's copy (offline too), with a
 * training's server-only parts (its analysis) fetched when there is a
 * network; logged, changed and deleted through the sync protocol, so the
 * same screens work with or without one.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { newId } from '../lib/id';
import { useOnline } from '../lib/online';
import { createLocally, deleteLocally, updateLocally } from '../offline/changes';
import { sameValue } from '../offline/conflicts';
import { sendSoon } from '../offline/sync';
import { knownHere, mutationsOf, useViews } from '../offline/views';
import { type LocalWorkout, WORKOUT_SYNC_FIELDS, workoutView } from '../offline/workoutView';
import { api } from './client';
import { keys, useLoggedIn } from './queries';
import type { NewWorkout, Workout } from './types';

export type { LocalWorkout };

/** The person's trainings, newest first; `ready` once the device holds the whole copy. */
export function useMyWorkouts() {
  const { snapshot, workoutList } = useViews();
  return { ready: snapshot.complete, items: workoutList };
}

function newer(a: Workout | undefined, b: Workout | undefined): Workout | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.updated_at) > Date.parse(a.updated_at) ? b : a;
}

/**
 * One training. The person's own comes from the device's copy with the
 * changes waiting here laid over it, and its analysis (map, charts, splits)
 * from the server when reachable; anyone else's from the server alone.
 * `deleted` when it was deleted here and the delete waits to be sent.
 */
export function useTraining(id: string) {
  const online = useOnline();
  const loggedIn = useLoggedIn();
  const { snapshot } = useViews();
  const local = loggedIn && knownHere('workout', id, snapshot);
  const record = snapshot.workouts.get(id) as Workout | undefined;
  // A training logged here and not sent yet has nothing on the server to fetch.
  const onServer = !local || record !== undefined;
  const server = useQuery({
    queryKey: keys.workout(id),
    queryFn: () => api<Workout>(`/api/v1/workouts/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data?.state === 'processing' ? 2000 : false),
    enabled: onServer && (online || !local),
  });
  const fetched = server.data;
  const shown = useMemo(() => {
    if (!local) return fetched;
    const base = newer(record, fetched);
    const view = workoutView(base ? [base] : [], mutationsOf(id, snapshot), snapshot.owner ?? '').get(id);
    return view && { ...view, analysis: fetched?.analysis };
  }, [local, record, fetched, id, snapshot]);
  return {
    workout: shown as LocalWorkout | Workout | undefined,
    /** The person's own: from the device's copy. */
    mine: local,
    deleted: local && !shown,
    /** Whether the server's copy (with the analysis) has been read. */
    fetched: fetched !== undefined,
    fetching: server.fetchStatus === 'fetching',
    isPending: !shown && server.isPending && server.fetchStatus !== 'idle',
    error: shown ? null : server.error,
  };
}

type Fields = Record<string, unknown>;

/** The fields a form gave that the sync protocol takes, without those left out. */
function syncFields(values: NewWorkout): Fields {
  const all = values as Fields;
  return Object.fromEntries(
    WORKOUT_SYNC_FIELDS.filter((field) => all[field] !== undefined).map((field) => [field, all[field]]),
  );
}

/** Logs a training on the device and sends it when it can; answers its id. A refusal online is thrown. */
export async function logTraining(values: NewWorkout): Promise<string> {
  const id = newId();
  const mutation = await createLocally('workout', syncFields(values), values.title ?? '', id);
  await sendSoon(mutation);
  return id;
}

/** The form's start is to the minute and its duration to the second: no change is read into the rounding. */
function unchanged(field: string, before: unknown, after: unknown): boolean {
  if (field === 'started_at' && typeof before === 'string' && typeof after === 'string') {
    return Math.floor(Date.parse(before) / 60_000) === Math.floor(Date.parse(after) / 60_000);
  }
  if (field === 'duration_s' && typeof before === 'number' && typeof after === 'number') {
    return Math.abs(before - after) < 1;
  }
  return sameValue(field, before, after);
}

/**
 * Only what the person changed: a change that waits offline sets no more
 * than that, so it cannot undo another device's change of another field.
 * A file's own numbers are the file's.
 */
export function changesTo(workout: Workout, values: NewWorkout): Fields {
  const fromFile = Boolean(workout.file);
  const changes: Fields = {};
  for (const field of WORKOUT_SYNC_FIELDS) {
    const byHand = ['started_at', 'duration_s', 'distance_m', 'elevation_gain_m'].includes(field);
    if (fromFile && byHand) continue;
    let after = (values as Fields)[field];
    // Left empty in the form: cleared.
    if (after === undefined && (field === 'distance_m' || field === 'elevation_gain_m')) after = null;
    if (after === undefined) continue;
    if (!unchanged(field, (workout as Fields)[field], after)) changes[field] = after;
  }
  return changes;
}

export async function changeTraining(workout: Workout, values: NewWorkout) {
  const changes = changesTo(workout, values);
  const mutation = await updateLocally('workout', workout.id, changes, values.title || workout.title);
  await sendSoon(mutation);
}

/** Deletes a training here at once, and on the server when it can (a refusal stays listed with its reason). */
export async function deleteTraining(workout: Workout) {
  const mutation = await deleteLocally('workout', workout.id, workout.title);
  await sendSoon(mutation, { keepRefused: true });
}
