/**
 * Reading and writing the device's copy: records, mutations and the sync's
 * facts (`meta`). Every write that others must see ends with `changed()`,
 * which tells this tab's screens and the app's other tabs to read again.
 */
import { done, META, MUTATIONS, RECORDS, transact } from './db';
import { type ClockState, formatClock, newDeviceId, receive, tick } from './hlc';
import type { Conflict, Entity, Mutation, StoredRecord, SyncRecord } from './protocol';

export interface Meta {
  /** This device's id in its clocks. */
  device?: string;
  clock?: ClockState;
  /** Whose records the store holds (the login's user id). */
  owner?: string;
  /** Where the next pull starts; none before the first full pull has ended. */
  cursor?: string | null;
  /** When the last sync run ended well, in ms. */
  synced_at?: number;
  conflicts?: Conflict[];
}

type MetaKey = keyof Meta;

export async function readMeta(): Promise<Meta> {
  return transact([META], 'readonly', async (transaction) => {
    const rows = await done(
      transaction.objectStore(META).getAll() as IDBRequest<{ key: string; value: unknown }[]>,
    );
    return Object.fromEntries(rows.map((row) => [row.key, row.value])) as Meta;
  });
}

export function putMeta(transaction: IDBTransaction, key: MetaKey, value: unknown) {
  transaction.objectStore(META).put({ key, value });
}

export async function getMeta<K extends MetaKey>(transaction: IDBTransaction, key: K): Promise<Meta[K]> {
  const row = await done(
    transaction.objectStore(META).get(key) as IDBRequest<{ value: Meta[K] } | undefined>,
  );
  return row?.value;
}

export async function allRecords(): Promise<StoredRecord[]> {
  return transact([RECORDS], 'readonly', (transaction) =>
    done(transaction.objectStore(RECORDS).getAll() as IDBRequest<StoredRecord[]>),
  );
}

export async function allMutations(): Promise<Mutation[]> {
  return transact([MUTATIONS], 'readonly', (transaction) =>
    done(transaction.objectStore(MUTATIONS).getAll() as IDBRequest<Mutation[]>),
  );
}

export function putRecord(transaction: IDBTransaction, entity: Entity, record: SyncRecord) {
  transaction.objectStore(RECORDS).put({ entity, id: record.id, record } satisfies StoredRecord);
}

export function deleteRecord(transaction: IDBTransaction, entity: Entity, id: string) {
  transaction.objectStore(RECORDS).delete([entity, id]);
}

/** The mutation stored under its id (not its place in the order). */
export async function findMutation(transaction: IDBTransaction, id: string): Promise<Mutation | undefined> {
  return done(transaction.objectStore(MUTATIONS).index('id').get(id) as IDBRequest<Mutation | undefined>);
}

/**
 * The clock for a change made now, in the same transaction that stores it, so
 * two tabs of the app never hand out the same stamp.
 */
export async function stamp(transaction: IDBTransaction): Promise<string> {
  let device = await getMeta(transaction, 'device');
  if (!device) {
    device = newDeviceId();
    putMeta(transaction, 'device', device);
  }
  const next = tick((await getMeta(transaction, 'clock')) ?? { wall: 0, counter: 0 }, Date.now());
  putMeta(transaction, 'clock', next);
  return formatClock(next, device);
}

/** Keeps the clock past one the server answered with. */
export async function adoptClock(transaction: IDBTransaction, clock: string | undefined) {
  const before = (await getMeta(transaction, 'clock')) ?? { wall: 0, counter: 0 };
  const after = receive(before, clock);
  if (after !== before) putMeta(transaction, 'clock', after);
}

/** Empties a store inside a transaction. */
export function clearStore(transaction: IDBTransaction, store: string) {
  transaction.objectStore(store).clear();
}

/**
 * Forgets the person's copy on this device (logging out): records, waiting
 * changes and where the sync stood. The device's id and clock stay, so its
 * clocks keep going forward.
 */
export async function forgetCopy() {
  await transact([RECORDS, MUTATIONS, META], 'readwrite', (transaction) => {
    clearStore(transaction, RECORDS);
    clearStore(transaction, MUTATIONS);
    for (const key of ['owner', 'cursor', 'synced_at', 'conflicts'] as const) {
      transaction.objectStore(META).delete(key);
    }
  });
  changed();
}

// Telling readers: this tab's (a listener) and the others' (a broadcast).
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('athlos.sync') : null;
const readers = new Set<() => void>();

export function onStoreChanged(reader: () => void): () => void {
  readers.add(reader);
  return () => readers.delete(reader);
}

if (channel) {
  channel.onmessage = () => {
    for (const reader of readers) reader();
  };
}

export function changed() {
  for (const reader of readers) reader();
  channel?.postMessage('changed');
}
