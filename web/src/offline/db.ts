/**
 * The device's own store (IndexedDB). One database, one object store per
 * kind of thing; the outbox is the first. The sync protocol will add stores
 * for the local copies of workouts and equipment, and bump VERSION.
 */
const NAME = 'athlos';
const VERSION = 1;
export const OUTBOX = 'outbox';

let opening: Promise<IDBDatabase> | null = null;

export function database(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(OUTBOX)) {
        db.createObjectStore(OUTBOX, { keyPath: 'id' }).createIndex('created_at', 'created_at');
      }
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function all<T>(store: string): Promise<T[]> {
  const db = await database();
  return done(db.transaction(store).objectStore(store).index('created_at').getAll() as IDBRequest<T[]>);
}

export async function put<T>(store: string, value: T): Promise<void> {
  const db = await database();
  await done(db.transaction(store, 'readwrite').objectStore(store).put(value));
}

export async function remove(store: string, key: string): Promise<void> {
  const db = await database();
  await done(db.transaction(store, 'readwrite').objectStore(store).delete(key));
}
