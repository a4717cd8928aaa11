/**
 * Writes made on this device that the server has not confirmed yet. Each
 * entry's id is its Idempotency-Key, so sending it twice (the answer lost on
 * the way back, two tabs flushing at once) still makes one workout. Entries
 * leave the outbox only when the server has answered: with success, or with
 * a refusal that no retry can fix (kept aside, shown with the reason).
 */
import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { NewWorkout, Workout } from '../api/types';
import { newId } from '../lib/id';
import { all, OUTBOX, put, remove } from './db';

export interface OutboxEntry {
  id: string;
  kind: 'workout.create';
  payload: NewWorkout;
  created_at: number;
  attempts: number;
  /** Why the server refused it; a refused entry is not sent again until edited or discarded. */
  refused?: string;
}

let entries: OutboxEntry[] = [];
let flushing: Promise<void> | null = null;
const listeners = new Set<() => void>();
const sentListeners = new Set<(workout: Workout) => void>();

function publish(next: OutboxEntry[]) {
  entries = next;
  for (const listener of listeners) listener();
}

export async function load(): Promise<void> {
  publish(await all<OutboxEntry>(OUTBOX));
}

/** Keeps a new workout on the device; `id` is the Idempotency-Key a first attempt may already have used. */
export async function enqueueWorkout(payload: NewWorkout, id: string = newId()): Promise<OutboxEntry> {
  const entry: OutboxEntry = {
    id,
    kind: 'workout.create',
    payload,
    created_at: Date.now(),
    attempts: 0,
  };
  await put(OUTBOX, entry);
  await load();
  return entry;
}

export async function discard(id: string): Promise<void> {
  await remove(OUTBOX, id);
  await load();
}

/** Sends one entry; true when it is done with (sent, or refused for good). */
async function send(entry: OutboxEntry): Promise<boolean> {
  try {
    const workout = await api<Workout>('/api/v1/workouts', {
      method: 'POST',
      body: entry.payload,
      headers: { 'idempotency-key': entry.id },
    });
    await remove(OUTBOX, entry.id);
    for (const listener of sentListeners) listener(workout);
    return true;
  } catch (error) {
    // No answer, a server failure, a limit or a login to renew: try again later.
    if (!(error instanceof ApiError) || error.isTransient || [401, 408, 429].includes(error.status)) {
      await put(OUTBOX, { ...entry, attempts: entry.attempts + 1 });
      return false;
    }
    await put(OUTBOX, { ...entry, attempts: entry.attempts + 1, refused: (error as Error).message });
    return true;
  }
}

/** Sends what waits, oldest first; one flush at a time per tab. */
export function flush(): Promise<void> {
  flushing ??= (async () => {
    try {
      const waiting = (await all<OutboxEntry>(OUTBOX)).filter((entry) => !entry.refused);
      for (const entry of waiting) {
        if (!(await send(entry))) break;
      }
    } finally {
      await load();
      flushing = null;
    }
  })();
  return flushing;
}

/** Forgets everything waiting (when the person logs out and chooses to drop it). */
export async function clearOutbox(): Promise<void> {
  for (const entry of await all<OutboxEntry>(OUTBOX)) await remove(OUTBOX, entry.id);
  await load();
}

export function onSent(listener: (workout: Workout) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useOutbox(): OutboxEntry[] {
  return useSyncExternalStore(subscribe, () => entries);
}

/** Flushes when the network returns, when the app comes back to the front, and every minute. */
export function startOutbox(): void {
  load().then(() => {
    if (navigator.onLine) flush();
  });
  window.addEventListener('online', () => flush());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) flush();
  });
  setInterval(() => navigator.onLine && entries.length > 0 && flush(), 60_000);
}
