/**
 * The copy as the screens show it, worked out once per snapshot of the store
 * (every screen reading it shares the same answer).
 */
import type { Equipment, Workout } from '../api/types';
import { equipmentView, type ListedEquipment } from './equipmentView';
import { currentSnapshot, type Snapshot, useSnapshot } from './local';
import type { Mutation } from './protocol';
import { type LocalWorkout, listWorkouts, workoutView } from './workoutView';

interface Views {
  workouts: Map<string, LocalWorkout>;
  workoutList: LocalWorkout[];
  equipment: Map<string, ListedEquipment>;
}

const cache = new WeakMap<Snapshot, Views>();

export function viewsOf(snapshot: Snapshot): Views {
  let views = cache.get(snapshot);
  if (!views) {
    const workouts = workoutView(
      snapshot.workouts.values() as Iterable<Workout>,
      snapshot.mutations,
      snapshot.owner ?? '',
    );
    views = {
      workouts,
      workoutList: listWorkouts(workouts),
      equipment: equipmentView(snapshot.equipment.values() as Iterable<Equipment>, snapshot.mutations),
    };
    cache.set(snapshot, views);
  }
  return views;
}

export function useViews(): Views & { snapshot: Snapshot } {
  const snapshot = useSnapshot();
  return { ...viewsOf(snapshot), snapshot };
}

/** The waiting changes of one record, oldest first. */
export function mutationsOf(id: string, snapshot: Snapshot = currentSnapshot()): Mutation[] {
  return snapshot.mutations.filter((mutation) => mutation.entity_id === id);
}

/** Whether the device's copy speaks for this record: it holds it, or a change of it waits here. */
export function knownHere(entity: 'workout' | 'equipment', id: string, snapshot: Snapshot): boolean {
  const records = entity === 'workout' ? snapshot.workouts : snapshot.equipment;
  return records.has(id) || snapshot.mutations.some((m) => m.entity === entity && m.entity_id === id);
}
