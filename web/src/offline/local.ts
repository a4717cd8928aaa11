/**
 * What the screens read: the device's copy held in memory, read again from
 * IndexedDB whenever this tab or another one changed it. The screens never
 * wait for the network to show a training or an item.
 */
import { useSyncExternalStore } from 'react';
import type { Conflict, Entity, Mutation, SyncRecord } from './protocol';
import { allMutations, allRecords, type Meta, onStoreChanged, readMeta } from './store';

export interface Snapshot {
  /** False until the store was first read. */
  loaded: boolean;
  /** Whose the copy is; mutations of another login are left aside. */
  owner: string | null;
  workouts: Map<string, SyncRecord>;
  equipment: Map<string, SyncRecord>;
  /** This login's mutations (and those made before anyone was known), oldest first. */
  mutations: Mutation[];
  /** A full pull has ended at least once: the copy holds everything. */
  complete: boolean;
  syncedAt: number | null;
  conflicts: Conflict[];
}

const EMPTY: Snapshot = {
  loaded: false,
  owner: null,
  workouts: new Map(),
  equipment: new Map(),
  mutations: [],
  complete: false,
  syncedAt: null,
  conflicts: [],
};

let snapshot = EMPTY;
const listeners = new Set<() => void>();
let reading: Promise<void> | null = null;
let readAgain = false;

function mineOnly(meta: Meta) {
  return (owner: string) => !meta.owner || !owner || owner === meta.owner;
}

async function read(): Promise<void> {
  const [records, mutations, meta] = await Promise.all([allRecords(), allMutations(), readMeta()]);
  const byEntity: Record<Entity, Map<string, SyncRecord>> = { workout: new Map(), equipment: new Map() };
  for (const stored of records) byEntity[stored.entity]?.set(stored.id, stored.record);
  const mine = mineOnly(meta);
  snapshot = {
    loaded: true,
    owner: meta.owner ?? null,
    workouts: byEntity.workout,
    equipment: byEntity.equipment,
    mutations: mutations
      .filter((mutation) => mine(mutation.owner))
      .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)),
    complete: meta.cursor != null,
    syncedAt: meta.synced_at ?? null,
    conflicts: (meta.conflicts ?? []).filter((conflict) => mine(conflict.owner)),
  };
  for (const listener of listeners) listener();
}

/** Reads the store again (one read at a time; a change during a read reads once more). */
export function reload(): Promise<void> {
  if (reading) {
    readAgain = true;
    return reading;
  }
  reading = (async () => {
    try {
      do {
        readAgain = false;
        await read();
      } while (readAgain);
    } finally {
      reading = null;
    }
  })();
  return reading;
}

onStoreChanged(() => {
  reload().catch(() => {
    // A store that cannot be read (a private window without IndexedDB): the screens fall back to the network.
  });
});

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentSnapshot(): Snapshot {
  return snapshot;
}

export function useSnapshot(): Snapshot {
  return useSyncExternalStore(subscribe, currentSnapshot);
}
