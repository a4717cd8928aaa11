/**
 * Equipment as this device shows it: the synchronised copy with the changes
 * made here and not yet answered laid over it, oldest first. An item made
 * offline joins the list, a change shows on its item, a delete hides it, so
 * nothing seems lost while it waits. The server's answer replaces all of it.
 */
import type { Equipment, EquipmentChanges, NewEquipment } from '../api/types';
import { defaultThreshold, equipmentName } from '../lib/equipment';
import type { Mutation, SyncProblem } from './protocol';

/** An item as the screens show it. */
export type ListedEquipment = Equipment & {
  /** While its creation, or a change of it, waits on this device. */
  waiting?: 'create' | 'change';
  /** The server refused a change of it: why. */
  refused?: SyncProblem;
  /** Known to the server (false for one made here and not sent yet). */
  onServer: boolean;
};

/** The fields of an item a device may change (docs/sync.md). */
export const EQUIPMENT_SYNC_FIELDS = [
  'kind',
  'brand',
  'model',
  'nickname',
  'purchased_on',
  'price',
  'currency',
  'notes',
  'sports',
  'default_for',
  'threshold_m',
] as const;

const UNUSED = { distance_m: 0, moving_s: 0, elevation_m: 0, trainings: 0 };

function worn(item: Equipment): number | null {
  return item.threshold_m ? item.usage.distance_m / item.threshold_m : null;
}

/** A new item before the server has it: nothing used yet. */
function draft(id: string, fields: NewEquipment, createdAt: number): ListedEquipment {
  const at = new Date(createdAt).toISOString();
  const item: Equipment = {
    id,
    kind: fields.kind,
    brand: fields.brand ?? '',
    model: fields.model ?? '',
    nickname: fields.nickname ?? '',
    name: '',
    purchased_on: fields.purchased_on ?? null,
    price: fields.price ?? null,
    currency: fields.currency ?? null,
    notes: fields.notes ?? '',
    sports: fields.sports ?? [],
    default_for: fields.default_for ?? [],
    photo: false,
    threshold_m: fields.threshold_m === undefined ? defaultThreshold(fields.kind) : fields.threshold_m,
    retired_on: null,
    usage: UNUSED,
    worn: null,
    components: [],
    created_at: at,
    updated_at: at,
  };
  return { ...item, name: equipmentName(item), worn: worn(item), waiting: 'create', onServer: false };
}

/** An item with a change applied; a field sent as null is cleared, one left out stays. */
function changed(item: ListedEquipment, changes: EquipmentChanges): ListedEquipment {
  const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const next: ListedEquipment = { ...item, ...sent };
  // Fields that cannot be cleared keep their value when a change sends null.
  for (const field of ['kind', 'brand', 'model', 'nickname', 'notes', 'sports', 'default_for'] as const) {
    if (next[field] === null) Object.assign(next, { [field]: item[field] });
  }
  const waiting = item.waiting === 'create' ? 'create' : 'change';
  return { ...next, name: equipmentName(next), worn: worn(next), waiting };
}

/** One default per kind and sport: an item made the default takes the sport off the others of its kind. */
function claimDefaults(items: Map<string, ListedEquipment>, claimant: Equipment) {
  if (!claimant.default_for.length) return;
  for (const item of items.values()) {
    if (item.id === claimant.id || item.kind !== claimant.kind) continue;
    const kept = item.default_for.filter((sport) => !claimant.default_for.includes(sport));
    if (kept.length !== item.default_for.length) items.set(item.id, { ...item, default_for: kept });
  }
}

/** Every item as shown: the copy's, with this device's waiting changes applied in order. */
export function equipmentView(
  base: Iterable<Equipment>,
  mutations: Mutation[],
): Map<string, ListedEquipment> {
  const items = new Map<string, ListedEquipment>();
  for (const item of base) items.set(item.id, { ...item, onServer: true });
  for (const mutation of mutations) {
    if (mutation.entity !== 'equipment') continue;
    const known = items.get(mutation.entity_id);
    let next: ListedEquipment | undefined;
    if (mutation.op === 'delete') {
      items.delete(mutation.entity_id);
      continue;
    }
    if (known) next = changed(known, mutation.fields as EquipmentChanges);
    else if (mutation.op === 'create')
      next = draft(mutation.entity_id, mutation.fields as NewEquipment, mutation.created_at);
    if (!next) continue;
    if (mutation.refused) next = { ...next, refused: mutation.refused };
    items.set(next.id, next);
    claimDefaults(items, next);
  }
  return items;
}

/** Newest first, as the server lists them; those in use, retired or all. */
export function listEquipment(
  items: Map<string, ListedEquipment>,
  state: 'active' | 'retired' | 'all',
): ListedEquipment[] {
  return [...items.values()]
    .filter((item) => state === 'all' || (state === 'retired') === Boolean(item.retired_on))
    .sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}
