/**
 * Changes made on this device: each create, edit or delete of a training or
 * an item becomes a mutation stamped with the device's clock, stored before
 * anything is sent, so it survives a reload, a lost network and a closed tab.
 * The screens show it at once (the view lays it over the copy) and the sync
 * engine sends it when it can.
 */
import { newId } from '../lib/id';
import { META, MUTATIONS, transact } from './db';
import type { Entity, Mutation, Op } from './protocol';
import { changed, getMeta, stamp } from './store';

type Fields = Record<string, unknown>;

/** Called after each change made here (the sync engine sends it soon). */
let afterChange: () => void = () => {};

export function onLocalChange(listener: () => void) {
  afterChange = listener;
}

async function mutationsOf(transaction: IDBTransaction, entity: Entity, id: string): Promise<Mutation[]> {
  const all = await new Promise<Mutation[]>((resolve, reject) => {
    const request = transaction.objectStore(MUTATIONS).getAll();
    request.onsuccess = () => resolve(request.result as Mutation[]);
    request.onerror = () => reject(request.error);
  });
  return all.filter((mutation) => mutation.entity === entity && mutation.entity_id === id);
}

function drop(transaction: IDBTransaction, mutations: Mutation[]) {
  for (const mutation of mutations) {
    if (mutation.seq !== undefined) transaction.objectStore(MUTATIONS).delete(mutation.seq);
  }
}

async function add(
  transaction: IDBTransaction,
  entity: Entity,
  entityId: string,
  op: Op,
  fields: Fields,
  label: string,
): Promise<Mutation> {
  const mutation: Mutation = {
    id: newId(),
    owner: (await getMeta(transaction, 'owner')) ?? '',
    entity,
    entity_id: entityId,
    op,
    clock: await stamp(transaction),
    fields,
    created_at: Date.now(),
    label,
  };
  transaction.objectStore(MUTATIONS).add(mutation);
  return mutation;
}

function told<T>(value: T): T {
  changed();
  afterChange();
  return value;
}

/** A new training or item under an id chosen here; answers the mutation. */
export async function createLocally(entity: Entity, fields: Fields, label: string, id = newId()) {
  const mutation = await transact([META, MUTATIONS], 'readwrite', (transaction) =>
    add(transaction, entity, id, 'create', fields, label),
  );
  return told(mutation);
}

/**
 * Changes some fields of a record. A change the server refused is taken into
 * this one (the person has now edited it): sent again together, with a new
 * clock, as a create when what was refused was the creation.
 */
export async function updateLocally(entity: Entity, id: string, fields: Fields, label: string) {
  const mutation = await transact([META, MUTATIONS], 'readwrite', async (transaction) => {
    const refused = (await mutationsOf(transaction, entity, id)).filter(
      (m) => m.refused && m.op !== 'delete',
    );
    if (Object.keys(fields).length === 0 && refused.length === 0) return null;
    const merged = Object.assign({}, ...refused.map((m) => m.fields), fields) as Fields;
    const op = refused.some((m) => m.op === 'create') ? 'create' : 'update';
    drop(transaction, refused);
    return add(transaction, entity, id, op, merged, label);
  });
  return mutation ? told(mutation) : null;
}

/**
 * Deletes a record. One that never reached the server just goes, with every
 * change of it that waits; otherwise changes not sent yet are dropped (the
 * delete is later than all of them) and the delete waits to be sent.
 */
export async function deleteLocally(entity: Entity, id: string, label: string) {
  const mutation = await transact([META, MUTATIONS], 'readwrite', async (transaction) => {
    const waiting = await mutationsOf(transaction, entity, id);
    const unsent = waiting.filter((m) => !m.sent || m.refused);
    const madeHere = waiting.some((m) => m.op === 'create' && (!m.sent || m.refused));
    drop(transaction, unsent);
    if (madeHere && unsent.length === waiting.length) return null;
    return add(transaction, entity, id, 'delete', {}, label);
  });
  return told(mutation);
}

/** Forgets one waiting change (a refused one the person gives up). */
export async function discard(mutationId: string) {
  await transact([MUTATIONS], 'readwrite', async (transaction) => {
    const store = transaction.objectStore(MUTATIONS);
    const key = await new Promise<IDBValidKey | undefined>((resolve, reject) => {
      const request = store.index('id').getKey(mutationId);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    if (key !== undefined) store.delete(key);
  });
  changed();
}
