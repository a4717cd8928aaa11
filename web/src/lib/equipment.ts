/** What the client knows of equipment as the server defines it (docs/inventory.md). */
import type { ComponentKind, Equipment, EquipmentKind } from '../api/types';

export const EQUIPMENT_KINDS: EquipmentKind[] = [
  'shoes',
  'bike',
  'skis',
  'board',
  'wetsuit',
  'watch',
  'other',
];

export const COMPONENT_KINDS: ComponentKind[] = [
  'chain',
  'cassette',
  'chainring',
  'tyre',
  'brake_pads',
  'battery',
  'other',
];

/** When the server warns about an item left without a threshold of its own, in metres. */
export function defaultThreshold(kind: EquipmentKind): number | null {
  return kind === 'shoes' ? 700_000 : null;
}

const PART_THRESHOLDS: Partial<Record<ComponentKind, number>> = {
  chain: 3_000_000,
  cassette: 10_000_000,
  chainring: 20_000_000,
  tyre: 5_000_000,
  brake_pads: 2_000_000,
};

/** When the server warns about a part left without a threshold of its own, in metres. */
export function defaultPartThreshold(kind: ComponentKind): number | null {
  return PART_THRESHOLDS[kind] ?? null;
}

/** What pickers show: the nickname, else brand and model, else the kind. */
export function equipmentName(item: Pick<Equipment, 'nickname' | 'brand' | 'model' | 'kind'>): string {
  return item.nickname || `${item.brand} ${item.model}`.trim() || item.kind;
}

/** How worn something is, for its colour: warned from 80 % of its threshold, worn out at 100 %. */
export type Wear = 'fine' | 'near' | 'over';

export function wear(worn: number | null | undefined): Wear {
  if (worn == null || worn < 0.8) return 'fine';
  return worn < 1 ? 'near' : 'over';
}

/** The items whose defaults include a sport: what a new training of that sport gets. */
export function defaultsFor(items: Equipment[], sport: string): string[] {
  return items.filter((item) => !item.retired_on && item.default_for.includes(sport)).map((item) => item.id);
}
