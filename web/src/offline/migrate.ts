/**
 * The outbox of version 1 of the device's database, turned into sync
 * mutations when the database is upgraded: a training logged offline becomes
 * a create, a new item a create under the id the device chose for it, and a
 * change of an item an update. Each is stamped with the time it was made.
 */
import { type ClockState, formatClock, newDeviceId, tick } from './hlc';
import type { Mutation } from './protocol';

/** An entry of version 1's outbox, as it was stored. */
interface OutboxEntry {
  id: string;
  created_at: number;
  kind: 'workout.create' | 'equipment.create' | 'equipment.update';
  payload: Record<string, unknown>;
  equipment_id?: string;
  name?: string;
  refused?: string;
}

function labelOf(entry: OutboxEntry): string {
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  if (entry.kind === 'equipment.update') return entry.name ?? '';
  if (entry.kind === 'workout.create') return text(entry.payload.title);
  const { nickname, brand, model, kind } = entry.payload;
  return text(nickname) || `${text(brand)} ${text(model)}`.trim() || text(kind);
}

export function outboxToMutations(entries: OutboxEntry[]): {
  mutations: Mutation[];
  device: string;
  clock: ClockState;
} {
  const device = newDeviceId();
  let clock: ClockState = { wall: 0, counter: 0 };
  const mutations: Mutation[] = [];
  for (const entry of [...entries].sort((a, b) => a.created_at - b.created_at)) {
    clock = tick(clock, entry.created_at);
    const { id: chosen, ...fields } = entry.payload;
    const common = {
      id: entry.id,
      // Unknown until the first sync: the login present then made them (logging out empties the outbox).
      owner: '',
      clock: formatClock(clock, device),
      created_at: entry.created_at,
      label: labelOf(entry),
      ...(entry.refused
        ? { refused: { type: '/problems/refused', title: 'Refused', status: 422, detail: entry.refused } }
        : {}),
    };
    if (entry.kind === 'workout.create') {
      // A request may have reached the server under its Idempotency-Key before the
      // upgrade; the create here carries a new id, a rare duplicate the person can delete.
      mutations.push({ ...common, entity: 'workout', entity_id: entry.id, op: 'create', fields });
    } else if (entry.kind === 'equipment.create') {
      mutations.push({ ...common, entity: 'equipment', entity_id: String(chosen), op: 'create', fields });
    } else if (entry.equipment_id) {
      mutations.push({
        ...common,
        entity: 'equipment',
        entity_id: entry.equipment_id,
        op: 'update',
        fields: entry.payload,
      });
    }
  }
  return { mutations, device, clock };
}
