/**
 * Conflicts worth asking about. The server merges per field, and the later
 * clock wins; when a change of this device lost a field (`merged`, `lost`),
 * the person is asked which to keep only if they had really changed that
 * field to something else than what won. A delete that lost to a later edit
 * is asked about too: the record they removed is back.
 */

import { deleteLocally, updateLocally } from './changes';
import { META, MUTATIONS, transact } from './db';
import type { Conflict, Mutation, MutationResult } from './protocol';
import { changed, getMeta, putMeta } from './store';

const TIMES = new Set(['started_at', 'purchased_on']);
const SETS = new Set(['equipment_ids', 'sports', 'default_for']);

/** Whether two values of a field mean the same (a time in another offset, a set in another order). */
export function sameValue(field: string, a: unknown, b: unknown): boolean {
  if (a == null || b == null) return (a ?? null) === (b ?? null);
  if (TIMES.has(field) && typeof a === 'string' && typeof b === 'string') {
    return Date.parse(a) === Date.parse(b);
  }
  if (SETS.has(field) && Array.isArray(a) && Array.isArray(b)) {
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  }
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-6;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The conflict a merged answer means for this device, or none when nothing it meant was lost. */
export function conflictOf(mutation: Mutation, result: MutationResult): Conflict | null {
  const record = (result.record ?? {}) as Record<string, unknown>;
  const base = {
    owner: mutation.owner,
    entity: mutation.entity,
    entity_id: mutation.entity_id,
    label: mutation.label,
  };
  if (mutation.op === 'delete') {
    return result.record ? { ...base, deleteKept: true, mine: {}, theirs: {} } : null;
  }
  const lost = (result.lost ?? []).filter(
    (field) => field in mutation.fields && !sameValue(field, mutation.fields[field], record[field]),
  );
  if (lost.length === 0) return null;
  return {
    ...base,
    mine: Object.fromEntries(lost.map((field) => [field, mutation.fields[field]])),
    theirs: Object.fromEntries(lost.map((field) => [field, record[field]])),
  };
}

/** Adds a conflict to those waiting for an answer; a second one on the same record joins the first. */
export async function keepConflict(transaction: IDBTransaction, conflict: Conflict) {
  const all = (await getMeta(transaction, 'conflicts')) ?? [];
  const same = (c: Conflict) => c.entity === conflict.entity && c.entity_id === conflict.entity_id;
  const before = all.find(same);
  const joined: Conflict = before
    ? {
        ...before,
        deleteKept: before.deleteKept || conflict.deleteKept,
        mine: { ...before.mine, ...conflict.mine },
        theirs: { ...before.theirs, ...conflict.theirs },
      }
    : conflict;
  putMeta(transaction, 'conflicts', [...all.filter((c) => !same(c)), joined]);
}

async function forgetConflict(conflict: Conflict) {
  await transact([META, MUTATIONS], 'readwrite', async (transaction) => {
    const all = (await getMeta(transaction, 'conflicts')) ?? [];
    putMeta(
      transaction,
      'conflicts',
      all.filter((c) => !(c.entity === conflict.entity && c.entity_id === conflict.entity_id)),
    );
  });
  changed();
}

/**
 * The person's answer. "Mine" makes the lost values a new change, with a
 * clock later than the one that won (the device has seen it), so it wins in
 * turn everywhere; "theirs" keeps what the server has.
 */
export async function resolveConflict(conflict: Conflict, keep: 'mine' | 'theirs') {
  await forgetConflict(conflict);
  if (keep === 'theirs') return;
  if (conflict.deleteKept) await deleteLocally(conflict.entity, conflict.entity_id, conflict.label);
  else await updateLocally(conflict.entity, conflict.entity_id, conflict.mine, conflict.label);
}
