/**
 * Equipment as this device will have it once the outbox is sent: items made
 * offline join the list, and changes made offline show on their items, so
 * nothing seems lost while it waits. The server's answer replaces all of it.
 */
import type { Equipment, EquipmentChanges, NewEquipment } from '../api/types';
import { defaultThreshold, equipmentName } from '../lib/equipment';
import type { OutboxEntry } from './outbox';

/** An item as the screens show it; `waiting` while its creation, or a change of it, is not sent yet. */
export type ListedEquipment = Equipment & { waiting?: 'create' | 'change' };

const UNUSED = { distance_m: 0, moving_s: 0, elevation_m: 0, trainings: 0 };

function worn(item: Equipment): number | null {
  return item.threshold_m ? item.usage.distance_m / item.threshold_m : null;
}

/** A new item before the server has it: nothing used yet. */
function draft(payload: NewEquipment & { id: string }, createdAt: number): ListedEquipment {
  const at = new Date(createdAt).toISOString();
  const item: Equipment = {
    id: payload.id,
    kind: payload.kind,
    brand: payload.brand ?? '',
    model: payload.model ?? '',
    nickname: payload.nickname ?? '',
    name: '',
    purchased_on: payload.purchased_on ?? null,
    price: payload.price ?? null,
    currency: payload.currency ?? null,
    notes: payload.notes ?? '',
    sports: payload.sports ?? [],
    default_for: payload.default_for ?? [],
    photo: false,
    threshold_m: payload.threshold_m === undefined ? defaultThreshold(payload.kind) : payload.threshold_m,
    retired_on: null,
    usage: UNUSED,
    worn: null,
    components: [],
    created_at: at,
    updated_at: at,
  };
  return { ...item, name: equipmentName(item), worn: worn(item), waiting: 'create' };
}

/** An item with a change applied; a field sent as null is cleared, one left out stays. */
function changed(item: ListedEquipment, changes: EquipmentChanges): ListedEquipment {
  const sent = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const next: Equipment = { ...item, ...sent };
  // Fields that cannot be cleared keep their value when a change sends null.
  for (const field of ['kind', 'brand', 'model', 'nickname', 'notes', 'sports', 'default_for'] as const) {
    if (next[field] === null) Object.assign(next, { [field]: item[field] });
  }
  const waiting = item.waiting === 'create' ? 'create' : 'change';
  return { ...next, name: equipmentName(next), worn: worn(next), waiting };
}

/** One default per kind and sport: an item made the default takes the sport off the others of its kind. */
function claimDefaults(items: ListedEquipment[], claimant: Equipment): ListedEquipment[] {
  return items.map((item) =>
    item.id !== claimant.id && item.kind === claimant.kind
      ? { ...item, default_for: item.default_for.filter((sport) => !claimant.default_for.includes(sport)) }
      : item,
  );
}

/** The server's items with what waits in the outbox applied, oldest write first. */
export function withWaiting(
  items: Equipment[],
  entries: OutboxEntry[],
  state: 'active' | 'retired' | 'all',
): ListedEquipment[] {
  let list: ListedEquipment[] = items;
  for (const entry of entries) {
    if (entry.refused) continue;
    if (entry.kind === 'equipment.create') {
      if (state === 'retired' || list.some((item) => item.id === entry.payload.id)) continue;
      const made = draft(entry.payload, entry.created_at);
      list = claimDefaults([made, ...list], made);
    } else if (entry.kind === 'equipment.update') {
      const known = list.find((item) => item.id === entry.equipment_id);
      if (!known) continue;
      const next = changed(known, entry.payload);
      list = claimDefaults(
        list.map((item) => (item.id === next.id ? next : item)),
        next,
      );
    }
  }
  return list;
}
