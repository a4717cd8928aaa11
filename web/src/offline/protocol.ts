/**
 * What this device keeps of the sync protocol (docs/sync.md): its own
 * mutations with their bookkeeping, records under their entity, and
 * conflicts waiting for the person. The protocol's shapes themselves come
 * from the server's OpenAPI document, through `api/types.ts`.
 */
import type { Changeable, Problem, SyncMutation, SyncRecord } from '../api/types';

export type {
  SyncChanges as ChangesPage,
  SyncMutation as PushedMutation,
  SyncOp as Op,
  SyncPushed as PushAnswer,
  SyncRecord,
  SyncResult as MutationResult,
} from '../api/types';

/** The records a device changes and keeps. */
export type Entity = Changeable;
export type SyncProblem = Problem;

/** A change made on this device, kept until the server has answered it. */
export interface Mutation extends SyncMutation {
  /** The store's own order: mutations are sent oldest first. */
  seq?: number;
  /** The account it was made in: never sent under another login. */
  owner: string;
  created_at: number;
  /** What the change is about, as the person named it then (a deleted record has no name left). */
  label: string;
  /** Handed to the server at least once: the answer may have been lost, so it may be there already. */
  sent?: boolean;
  /** Why the server refused it; not sent again until edited or discarded. */
  refused?: SyncProblem;
}

/** A record as kept on the device, under its entity and id. */
export interface StoredRecord {
  entity: Entity;
  id: string;
  record: SyncRecord;
}

/**
 * A change of this device that lost to a later one from elsewhere, on a field
 * the person had really changed: they choose which to keep.
 */
export interface Conflict {
  owner: string;
  entity: Entity;
  entity_id: string;
  label: string;
  /** A delete that lost to a later edit: the record was kept. */
  deleteKept?: boolean;
  /** Per field: what this device had set, and what won. */
  mine: Record<string, unknown>;
  theirs: Record<string, unknown>;
}
