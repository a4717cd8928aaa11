/**
 * Trainings as this device shows them: the synchronised copy with the
 * changes made here and not yet answered laid over it, oldest first. A
 * training logged offline is there at once, an edit shows, a delete hides it.
 */
import type { Workout } from '../api/types';
import type { Mutation, SyncProblem } from './protocol';

export type LocalWorkout = Workout & {
  /** While its creation, or a change of it, waits on this device. */
  waiting?: 'create' | 'change';
  refused?: SyncProblem;
  /** Known to the server (false for one logged here and not sent yet). */
  onServer: boolean;
};

/** The fields of a training a device may change (docs/sync.md); the last four only by hand. */
export const WORKOUT_SYNC_FIELDS = [
  'sport',
  'title',
  'notes',
  'privacy',
  'equipment_ids',
  'started_at',
  'duration_s',
  'distance_m',
  'elevation_gain_m',
] as const;

/** Fields that always have a value: a null sent for one changes nothing. */
const REQUIRED = new Set(['sport', 'title', 'notes', 'privacy', 'equipment_ids', 'started_at', 'duration_s']);

type Fields = Record<string, unknown>;

/** A training logged on this device before the server has it. */
function draft(id: string, owner: string, fields: Fields, createdAt: number): LocalWorkout {
  const at = new Date(createdAt).toISOString();
  const workout: Workout = {
    id,
    user_id: owner,
    sport: String(fields.sport ?? 'other'),
    title: String(fields.title ?? ''),
    notes: String(fields.notes ?? ''),
    privacy: (fields.privacy as Workout['privacy']) ?? 'private',
    equipment_ids: (fields.equipment_ids as string[] | undefined) ?? [],
    started_at: String(fields.started_at ?? at),
    duration_s: Number(fields.duration_s ?? 0),
    distance_m: (fields.distance_m as number | null | undefined) ?? null,
    elevation_gain_m: (fields.elevation_gain_m as number | null | undefined) ?? null,
    state: 'ready',
    file: null,
    created_at: at,
    updated_at: at,
  };
  return { ...withSpeed(workout), waiting: 'create', onServer: false };
}

/** A training typed by hand has its average speed from its distance and time, as the server works it out. */
function withSpeed(workout: Workout): Workout {
  if (workout.file) return workout;
  const speed = workout.distance_m && workout.duration_s ? workout.distance_m / workout.duration_s : null;
  return { ...workout, average_speed_mps: speed };
}

function changed(workout: LocalWorkout, fields: Fields): LocalWorkout {
  const next: LocalWorkout = { ...workout };
  for (const [field, value] of Object.entries(fields)) {
    if (value === undefined || (value === null && REQUIRED.has(field))) continue;
    Object.assign(next, { [field]: value });
  }
  return { ...next, ...withSpeed(next), waiting: workout.waiting === 'create' ? 'create' : 'change' };
}

/** Every training as shown: the copy's, with this device's waiting changes applied in order. */
export function workoutView(
  base: Iterable<Workout>,
  mutations: Mutation[],
  owner: string,
): Map<string, LocalWorkout> {
  const workouts = new Map<string, LocalWorkout>();
  for (const workout of base) workouts.set(workout.id, { ...workout, onServer: true });
  for (const mutation of mutations) {
    if (mutation.entity !== 'workout') continue;
    if (mutation.op === 'delete') {
      workouts.delete(mutation.entity_id);
      continue;
    }
    const known = workouts.get(mutation.entity_id);
    let next = known
      ? changed(known, mutation.fields)
      : mutation.op === 'create'
        ? draft(mutation.entity_id, mutation.owner || owner, mutation.fields, mutation.created_at)
        : undefined;
    if (!next) continue;
    if (mutation.refused) next = { ...next, refused: mutation.refused };
    workouts.set(next.id, next);
  }
  return workouts;
}

/** Newest first, as the server lists them. */
export function listWorkouts(workouts: Map<string, LocalWorkout>): LocalWorkout[] {
  return [...workouts.values()].sort(
    (a, b) => new Date(b.started_at).getTime() - new Date(a.started_at).getTime() || b.id.localeCompare(a.id),
  );
}
