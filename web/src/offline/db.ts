/**
 * The device's own store (IndexedDB): one database, one object store per kind
 * of thing. Version 2 holds the sync protocol's copy of the person's records
 * (`records`, keyed by entity and id), the changes made here and not yet
 * answered (`mutations`, in the order they were made) and a few facts about
 * the device and its sync (`meta`). Version 1 had an outbox of requests; its
 * entries become mutations on upgrade, so nothing waiting is lost.
 */
import { outboxToMutations } from './migrate';

const NAME = 'athlos';
const VERSION = 2;
const OUTBOX = 'outbox';
export const RECORDS = 'records';
export const MUTATIONS = 'mutations';
export const META = 'meta';

let opening: Promise<IDBDatabase> | null = null;

function upgrade(db: IDBDatabase, transaction: IDBTransaction, oldVersion: number) {
  if (!db.objectStoreNames.contains(RECORDS)) {
    db.createObjectStore(RECORDS, { keyPath: ['entity', 'id'] }).createIndex('entity', 'entity');
  }
  if (!db.objectStoreNames.contains(MUTATIONS)) {
    db.createObjectStore(MUTATIONS, { keyPath: 'seq', autoIncrement: true }).createIndex('id', 'id', {
      unique: true,
    });
  }
  if (!db.objectStoreNames.contains(META)) db.createObjectStore(META, { keyPath: 'key' });
  if (oldVersion >= 1 && db.objectStoreNames.contains(OUTBOX)) {
    // Inside the upgrade's own transaction: the outbox is read, turned into
    // mutations and dropped at once, or not at all.
    const read = transaction.objectStore(OUTBOX).getAll();
    read.onsuccess = () => {
      const meta = transaction.objectStore(META);
      const { mutations, device, clock } = outboxToMutations(read.result);
      for (const mutation of mutations) transaction.objectStore(MUTATIONS).add(mutation);
      meta.put({ key: 'device', value: device });
      meta.put({ key: 'clock', value: clock });
      db.deleteObjectStore(OUTBOX);
    };
  }
}

export function database(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = (event) => {
      const transaction = request.transaction;
      if (transaction) upgrade(request.result, transaction, event.oldVersion);
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab opened a newer version: this one lets go, and opens it again on next use.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    // An older tab holding version 1 open delays the upgrade until it closes (or reloads
    // into this version): until then the screens read the network, as without a store.
    request.onerror = () => reject(request.error);
  });
  return opening;
}

/** A request's result, as a promise. */
export function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Runs `work` in one transaction over `stores` and resolves with its answer
 * once the transaction has committed (so a reader sees all of it or none).
 */
export async function transact<T>(
  stores: string[],
  mode: IDBTransactionMode,
  work: (transaction: IDBTransaction) => Promise<T> | T,
): Promise<T> {
  const db = await database();
  const transaction = db.transaction(stores, mode);
  const finished = new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error ?? new Error('The transaction was aborted.'));
  });
  const answer = await work(transaction);
  await finished;
  return answer;
}
