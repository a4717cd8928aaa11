/**
 * Writes made on this device that the server has not confirmed yet: new
 * trainings, new equipment and changes to equipment. Each is safe to send
 * twice (the answer lost on the way back, two tabs flushing at once): a
 * training's entry id is its Idempotency-Key, a new item carries the id this
 * device chose for it, and a change sets the same fields again. Entries
 * leave the outbox only when the server has answered: with success, or with
 * a refusal that no retry can fix (kept aside, shown with the reason).
 */
import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import type { EquipmentChanges, NewEquipment, NewWorkout } from '../api/types';
import { newId } from '../lib/id';
import { all, OUTBOX, put, remove } from './db';

/** What an entry asks of the server. */
export type OutboxWrite =
  | { kind: 'workout.create'; payload: NewWorkout }
  | { kind: 'equipment.create'; payload: NewEquipment & { id: string } }
  /** `name`: the item's, for the outbox's list. */
  | { kind: 'equipment.update'; equipment_id: string; name: string; payload: EquipmentChanges };

export type OutboxEntry = OutboxWrite & {
  id: string;
  created_at: number;
  attempts: number;
  /** Why the server refused it; a refused entry is not sent again until edited or discarded. */
  refused?: string;
};

let entries: OutboxEntry[] = [];
let flushing: Promise<void> | null = null;
const listeners = new Set<() => void>();
const sentListeners = new Set<(entry: OutboxEntry) => void>();

function publish(next: OutboxEntry[]) {
  entries = next;
  for (const listener of listeners) listener();
}

export async function load(): Promise<void> {
  publish(await all<OutboxEntry>(OUTBOX));
}

/** The request an entry stands for; its answer is the server's. */
function request(entry: OutboxEntry): Promise<unknown> {
  switch (entry.kind) {
    case 'workout.create':
      return api('/api/v1/workouts', {
        method: 'POST',
        body: entry.payload,
        headers: { 'idempotency-key': entry.id },
      });
    case 'equipment.create':
      return api('/api/v1/equipment', { method: 'POST', body: entry.payload });
    case 'equipment.update':
      return api(`/api/v1/equipment/${encodeURIComponent(entry.equipment_id)}`, {
        method: 'PATCH',
        body: entry.payload,
      });
  }
}

/** Keeps a write on the device; `id` is the key a first attempt may already have used. */
async function enqueue(write: OutboxWrite, id: string = newId()): Promise<OutboxEntry> {
  const entry: OutboxEntry = { ...write, id, created_at: Date.now(), attempts: 0 };
  await put(OUTBOX, entry);
  await load();
  return entry;
}

/**
 * Sends a write at once when there is a network; without one, or when the
 * connection drops on the way, it waits in the outbox under the same key, so
 * it reaches the server exactly once. Answers the server's answer, or null
 * when the write waits. A refusal is thrown, for the form to show.
 */
export async function sendNowOrLater<T>(write: OutboxWrite): Promise<T | null> {
  const id = newId();
  if (!navigator.onLine) {
    await enqueue(write, id);
    return null;
  }
  try {
    return (await request({ ...write, id, created_at: Date.now(), attempts: 0 })) as T;
  } catch (error) {
    if (error instanceof ApiError && error.isTransient) {
      await enqueue(write, id);
      return null;
    }
    throw error;
  }
}

export async function discard(id: string): Promise<void> {
  await remove(OUTBOX, id);
  await load();
}

/** Sends one entry; true when it is done with (sent, or refused for good). */
async function send(entry: OutboxEntry): Promise<boolean> {
  try {
    await request(entry);
    await remove(OUTBOX, entry.id);
    for (const listener of sentListeners) listener(entry);
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

/** Sends what waits, oldest first (an item's change after its creation); one flush at a time per tab. */
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

/** Called with each entry the server accepted from the outbox. */
export function onSent(listener: (entry: OutboxEntry) => void): () => void {
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
