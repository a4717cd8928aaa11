/**
 * The sync engine (docs/sync.md): pulls what changed since the cursor, page
 * by page until `more` is false, and pushes the changes made here in the
 * order they were made, at most 100 a request. Every answer's clock moves
 * the device's clock forward. One run at a time: in this tab (a run asked
 * for during one follows it) and across tabs (a Web Lock, where there is
 * one). It runs at start, when the network returns, after a change made here,
 * when the server hints that something changed, and every minute.
 */
import { useSyncExternalStore } from 'react';
import { api } from '../api/client';
import { ApiError } from '../api/problem';
import { accessToken, isLoggedIn, subscribe, userIdOf } from '../api/session';
import { discard, onLocalChange } from './changes';
import { conflictOf, keepConflict } from './conflicts';
import { META, MUTATIONS, RECORDS, transact } from './db';
import { EQUIPMENT_SYNC_FIELDS } from './equipmentView';
import { reload } from './local';
import type { ChangesPage, Entity, Mutation, PushAnswer, PushedMutation, SyncProblem } from './protocol';
import {
  adoptClock,
  changed,
  clearStore,
  deleteRecord,
  findMutation,
  getMeta,
  putMeta,
  putRecord,
} from './store';
import { WORKOUT_SYNC_FIELDS } from './workoutView';

const PAGE = 200;
const BATCH = 100;
const EVERY_MS = 60_000;
/** A run shows as "syncing" only once it has taken this long: a quick pull does not flicker. */
const SHOW_AFTER_MS = 400;
const LOCAL_CHANGE_DEBOUNCE_MS = 300;

export interface EngineState {
  /** A run is going on and has taken a noticeable time. */
  busy: boolean;
  /** Why the last run failed, when it did for another reason than a missing network. */
  error: ApiError | null;
}

/** What a run changed in the copy, for screens that read the server directly (totals, photos). */
export interface Touched {
  workouts: boolean;
  equipment: boolean;
  photos: boolean;
}

let state: EngineState = { busy: false, error: null };
const stateListeners = new Set<() => void>();
const touchListeners = new Set<(touched: Touched) => void>();

function setState(next: Partial<EngineState>) {
  state = { ...state, ...next };
  for (const listener of stateListeners) listener();
}

export function useSyncEngine(): EngineState {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    () => state,
  );
}

/** Hears what each run changed. */
export function onSynced(listener: (touched: Touched) => void): () => void {
  touchListeners.add(listener);
  return () => touchListeners.delete(listener);
}

function isEntity(entity: string): entity is Entity {
  return entity === 'workout' || entity === 'equipment';
}

/**
 * Takes the copy for the login now on the device: another person's records
 * are forgotten (and pulled afresh for this one), and changes made before
 * anyone was known are theirs.
 */
async function claim(owner: string) {
  const switched = await transact([RECORDS, MUTATIONS, META], 'readwrite', async (transaction) => {
    const before = await getMeta(transaction, 'owner');
    if (before !== owner) {
      clearStore(transaction, RECORDS);
      for (const key of ['cursor', 'synced_at', 'conflicts'] as const) putMeta(transaction, key, null);
      putMeta(transaction, 'owner', owner);
    }
    const store = transaction.objectStore(MUTATIONS);
    const all = await new Promise<Mutation[]>((resolve, reject) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Mutation[]);
      request.onerror = () => reject(request.error);
    });
    const unowned = all.filter((mutation) => !mutation.owner);
    for (const mutation of unowned) store.put({ ...mutation, owner });
    return before !== owner || unowned.length > 0;
  });
  if (switched) changed();
}

/**
 * Pulls until `more` is false. Without a cursor (the first time, or after the
 * server said the cursor is too old: 410 resync-required) everything comes
 * again: records are replaced as pages arrive and, once the last page is in,
 * those the server no longer has are dropped. So the screens never go empty
 * and an interrupted resync just starts over. Changes waiting here are kept
 * all along and pushed after.
 */
async function pull(touched: Touched) {
  let cursor = (await transact([META], 'readonly', (transaction) => getMeta(transaction, 'cursor'))) ?? null;
  let full = cursor === null;
  const seen = new Set<string>();
  for (;;) {
    let page: ChangesPage;
    try {
      const after = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      page = await api<ChangesPage>(`/api/v1/sync/changes?limit=${PAGE}${after}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 410 && !full) {
        full = true;
        cursor = null;
        continue;
      }
      throw error;
    }
    const last = !page.more;
    await transact([RECORDS, META], 'readwrite', async (transaction) => {
      for (const change of page.changes) {
        if (change.entity === 'photo') touched.photos = true;
        if (!isEntity(change.entity)) continue;
        touched[change.entity === 'workout' ? 'workouts' : 'equipment'] = true;
        if (change.deleted || !change.record) deleteRecord(transaction, change.entity, change.id);
        else {
          putRecord(transaction, change.entity, change.record);
          seen.add(`${change.entity}:${change.id}`);
        }
      }
      await adoptClock(transaction, page.clock);
      if (full && last) {
        const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
          const request = transaction.objectStore(RECORDS).getAllKeys();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const key of keys) {
          const [entity, id] = key as [Entity, string];
          if (!seen.has(`${entity}:${id}`)) deleteRecord(transaction, entity, id);
        }
      }
      // During a full pull the cursor is kept only at its end: a half-done one is not a copy.
      if (!full || last) putMeta(transaction, 'cursor', page.cursor);
    });
    changed();
    cursor = page.cursor;
    if (last) return;
  }
}

const FIELDS: Record<Entity, readonly string[]> = {
  workout: WORKOUT_SYNC_FIELDS,
  equipment: EQUIPMENT_SYNC_FIELDS,
};

/** A mutation as the server takes it: nothing of the device's own bookkeeping, no field it would refuse. */
function wire(mutation: Mutation): PushedMutation {
  const { id, entity, entity_id, op, clock } = mutation;
  const allowed = FIELDS[entity];
  const fields =
    op === 'delete'
      ? {}
      : Object.fromEntries(Object.entries(mutation.fields).filter(([field]) => allowed.includes(field)));
  return { id, entity, entity_id, op, clock, fields };
}

/**
 * A batch the server refused whole for one mutation's shape (`mutations[3].clock`):
 * that mutation is marked refused, so the others go on without it. Answers
 * whether one was found to blame.
 */
async function blame(batch: Mutation[], error: ApiError): Promise<boolean> {
  const index = /^mutations\[(\d+)\]/.exec(error.field ?? '')?.[1];
  const culprit = index === undefined ? undefined : batch[Number(index)];
  if (!culprit || culprit.seq === undefined || ![400, 422].includes(error.status)) return false;
  const problem: SyncProblem = {
    type: `/problems/${error.slug}`,
    title: error.slug,
    detail: error.detail,
    field: error.field,
    status: error.status,
  };
  await transact([MUTATIONS], 'readwrite', (transaction) => {
    transaction.objectStore(MUTATIONS).put({ ...culprit, refused: problem });
  });
  changed();
  return true;
}

/** The next batch to send, marked as sent in the same transaction (a delete made meanwhile then sees it went). */
async function nextBatch(owner: string): Promise<Mutation[]> {
  return transact([MUTATIONS], 'readwrite', async (transaction) => {
    const store = transaction.objectStore(MUTATIONS);
    const all = await new Promise<Mutation[]>((resolve, reject) => {
      const request = store.getAll();
      request.onsuccess = () => resolve(request.result as Mutation[]);
      request.onerror = () => reject(request.error);
    });
    const batch = all
      .filter((mutation) => mutation.owner === owner && !mutation.refused)
      .sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0))
      .slice(0, BATCH);
    for (const mutation of batch) if (!mutation.sent) store.put({ ...mutation, sent: true });
    return batch;
  });
}

const DONE_WHEN_REFUSED = new Set(['gone', 'not-found']);

function slugOf(problem: SyncProblem | null | undefined): string {
  return problem?.type?.split('/').pop() ?? '';
}

/** Pushes every change waiting, oldest first. */
async function push(owner: string, touched: Touched) {
  for (;;) {
    const batch = await nextBatch(owner);
    if (batch.length === 0) return;
    let answer: PushAnswer;
    try {
      answer = await api<PushAnswer>('/api/v1/sync/push', {
        method: 'POST',
        body: { mutations: batch.map(wire) },
      });
    } catch (error) {
      if (error instanceof ApiError && (await blame(batch, error))) continue;
      throw error;
    }
    const answered = await transact([RECORDS, MUTATIONS, META], 'readwrite', async (transaction) => {
      await adoptClock(transaction, answer.clock);
      let count = 0;
      for (const result of answer.results ?? []) {
        const mutation = await findMutation(transaction, result.id);
        if (!mutation || mutation.seq === undefined) continue;
        count++;
        touched[mutation.entity === 'workout' ? 'workouts' : 'equipment'] = true;
        const mutations = transaction.objectStore(MUTATIONS);
        if (result.status === 'refused') {
          // A delete of what is gone already did what it meant.
          if (mutation.op === 'delete' && DONE_WHEN_REFUSED.has(slugOf(result.problem))) {
            mutations.delete(mutation.seq);
            deleteRecord(transaction, mutation.entity, mutation.entity_id);
          } else {
            const problem = result.problem ?? {
              type: '/problems/refused',
              title: 'Refused',
              status: 422,
              detail: 'The server refused this change without saying why.',
            };
            mutations.put({ ...mutation, refused: problem });
          }
          continue;
        }
        mutations.delete(mutation.seq);
        if (result.record) putRecord(transaction, mutation.entity, result.record);
        else if (mutation.op === 'delete') deleteRecord(transaction, mutation.entity, mutation.entity_id);
        if (result.status === 'merged') {
          const conflict = conflictOf(mutation, result);
          if (conflict) await keepConflict(transaction, conflict);
        }
      }
      return count;
    });
    changed();
    // An answer that settles none of what was sent would send the same batch for ever.
    if (answered === 0)
      throw new ApiError(502, 'sync-unanswered', 'The server answered none of the changes sent.');
  }
}

async function run() {
  if (!navigator.onLine) return;
  const token = await accessToken();
  const owner = token && userIdOf(token);
  if (!owner) return;
  const touched: Touched = { workouts: false, equipment: false, photos: false };
  try {
    await claim(owner);
    // What the person just did goes first (a form may be waiting for its answer); then what
    // changed elsewhere; then anything a resync kept aside or a change made meanwhile.
    await push(owner, touched);
    await pull(touched);
    await push(owner, touched);
    await transact([META], 'readwrite', (transaction) => putMeta(transaction, 'synced_at', Date.now()));
    changed();
  } finally {
    if (touched.workouts || touched.equipment || touched.photos) {
      for (const listener of touchListeners) listener(touched);
    }
  }
}

async function locked(work: () => Promise<void>): Promise<void> {
  if (navigator.locks) await navigator.locks.request('athlos.sync', work);
  else await work();
}

let running: Promise<void> | null = null;
let queued: Promise<void> | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryPause = 5_000;

/** One run, its state shown and a failure retried with growing pauses while online. */
async function guarded() {
  const shown = setTimeout(() => setState({ busy: true }), SHOW_AFTER_MS);
  clearTimeout(retryTimer);
  try {
    await locked(run);
    retryPause = 5_000;
    setState({ error: null });
  } catch (error) {
    const failure = error instanceof ApiError ? error : new ApiError(0, 'network', String(error));
    // No network is not a failure to show: the state says "waiting" already.
    setState({ error: failure.isNetwork ? null : failure });
    if (navigator.onLine && (failure.isTransient || failure.status === 429)) {
      retryTimer = setTimeout(
        () => syncNow().catch(() => {}),
        failure.retryAfter ? failure.retryAfter * 1000 : retryPause,
      );
      retryPause = Math.min(retryPause * 2, EVERY_MS);
    }
  } finally {
    clearTimeout(shown);
    setState({ busy: false });
  }
}

/**
 * Runs the sync now; resolves once a run that started after this call has
 * ended (one already going may have read its batch before a change just made).
 */
export function syncNow(): Promise<void> {
  if (!running) {
    running = guarded().finally(() => {
      running = null;
    });
    return running;
  }
  queued ??= running.then(() => {
    queued = null;
    return syncNow();
  });
  return queued;
}

let debounce: ReturnType<typeof setTimeout> | undefined;

/** A run soon: several reasons in a short while make one run. */
export function requestSync(delay = LOCAL_CHANGE_DEBOUNCE_MS) {
  clearTimeout(debounce);
  debounce = setTimeout(() => {
    syncNow().catch(() => {});
  }, delay);
}

/** The server said the person's data changed (`SyncChanged` on their topic, with its cursor). */
export function hintChanged() {
  requestSync(50);
}

/** A refusal as the error the forms and messages know how to say. */
export function problemError(problem: SyncProblem): ApiError {
  const slug = slugOf(problem) || 'refused';
  return new ApiError(
    problem.status ?? 422,
    slug,
    problem.detail || problem.title || '',
    problem.field ?? undefined,
    undefined,
    { ...problem },
  );
}

/**
 * Sends a change made in a form at once when there is a network, and waits
 * a little for the answer: a refusal is thrown for the form to show beside
 * its field (and the change is dropped: the form still holds it), unless
 * `keepRefused` (a delete: it stays listed with its reason). Answers `sent`,
 * or `waiting` when it stays on the device (offline, or a slow answer).
 */
export async function sendSoon(
  mutation: Mutation | null,
  { keepRefused = false, waitMs = 8_000 } = {},
): Promise<'sent' | 'waiting'> {
  if (!mutation) return 'sent';
  if (!navigator.onLine) return 'waiting';
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([syncNow(), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
  clearTimeout(timer);
  const stored = await transact([MUTATIONS], 'readonly', (transaction) =>
    findMutation(transaction, mutation.id),
  );
  if (!stored) return 'sent';
  if (stored.refused && !keepRefused) {
    await discard(stored.id);
    throw problemError(stored.refused);
  }
  return 'waiting';
}

/** Starts the engine for the app: reads the copy, and runs on every occasion. */
export function startSync() {
  reload()
    .then(() => syncNow())
    .catch(() => {
      // No IndexedDB here (a private window in some browsers): the screens read the network.
    });
  onLocalChange(() => requestSync());
  // A login (here or in another tab) fills the copy at once; a logout stops nothing that would send.
  subscribe(() => {
    if (isLoggedIn()) requestSync(0);
  });
  window.addEventListener('online', () => syncNow().catch(() => {}));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') requestSync(0);
  });
  setInterval(() => {
    if (navigator.onLine && document.visibilityState === 'visible') requestSync(0);
  }, EVERY_MS);
}
