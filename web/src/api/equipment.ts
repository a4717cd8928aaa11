/** A person's equipment: the lists, one item, its monthly use, and writes that may wait offline. */
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { sendNowOrLater, useOutbox } from '../offline/outbox';
import { type ListedEquipment, withWaiting } from '../offline/waitingEquipment';
import { api } from './client';
import { kept, keys, whileUsageIsCounted } from './queries';
import type { Equipment, EquipmentChanges, MonthlyUsage, NewEquipment } from './types';

export type EquipmentState = 'active' | 'retired' | 'all';

export function equipmentPath(id: string, rest = ''): string {
  return `/api/v1/equipment/${encodeURIComponent(id)}${rest}`;
}

function fetchList(state: EquipmentState) {
  return () => api<Equipment[]>(`/api/v1/equipment?state=${state}`);
}

/**
 * The person's items in one state, newest first, with what waits in the
 * outbox. The active ones are also kept on the device: the pickers of a
 * training logged offline need them.
 */
export function useEquipmentList(state: EquipmentState = 'active', enabled = true) {
  const waiting = useOutbox();
  const query = useQuery({
    queryKey: keys.equipmentList(state),
    ...(state === 'active' ? kept('equipment', fetchList(state)) : { queryFn: fetchList(state) }),
    refetchInterval: whileUsageIsCounted,
    enabled,
  });
  const items = useMemo(
    () => (query.data ? withWaiting(query.data, waiting, state) : undefined),
    [query.data, waiting, state],
  );
  return { ...query, items };
}

/** One item; shown at once from a list already loaded (offline too), then as the server has it. */
export function useEquipmentItem(id: string) {
  const queries = useQueryClient();
  const waiting = useOutbox();
  const query = useQuery({
    queryKey: keys.equipmentItem(id),
    queryFn: () => api<Equipment>(equipmentPath(id)),
    placeholderData: () => known(queries, id),
    refetchInterval: whileUsageIsCounted,
  });
  const item: ListedEquipment | undefined = useMemo(
    () =>
      query.data ? withWaiting([query.data], waiting, 'all').find((shown) => shown.id === id) : undefined,
    [query.data, waiting, id],
  );
  return { ...query, item };
}

function known(queries: QueryClient, id: string): Equipment | undefined {
  for (const [, list] of queries.getQueriesData<Equipment[]>({ queryKey: [...keys.equipment, 'list'] })) {
    const found = list?.find((item) => item.id === id);
    if (found) return found;
  }
  return undefined;
}

/** Distance, time, climb and trainings per calendar month, oldest first. */
export function useMonthlyUsage(id: string, months = 12) {
  return useQuery({
    queryKey: keys.equipmentUsage(id, months),
    queryFn: () => api<MonthlyUsage[]>(equipmentPath(id, `/usage?months=${months}`)),
    refetchInterval: whileUsageIsCounted,
  });
}

/** After the server changed an item: it in its place, and every list asked again. */
export function settle(queries: QueryClient, item?: Equipment) {
  if (item) queries.setQueryData(keys.equipmentItem(item.id), item);
  queries.invalidateQueries({ queryKey: keys.equipment });
  // Which offers fit depends on the person's equipment.
  queries.invalidateQueries({ queryKey: keys.offers });
}

/** Adds an item now, or keeps it in the outbox; the item, or null while it waits. */
export async function addEquipment(queries: QueryClient, values: NewEquipment & { id: string }) {
  const item = await sendNowOrLater<Equipment>({ kind: 'equipment.create', payload: values });
  settle(queries, item ?? undefined);
  return item;
}

/** Changes an item now, or keeps the change in the outbox; the item, or null while it waits. */
export async function changeEquipment(queries: QueryClient, item: Equipment, changes: EquipmentChanges) {
  const changed = await sendNowOrLater<Equipment>({
    kind: 'equipment.update',
    equipment_id: item.id,
    name: item.name,
    payload: changes,
  });
  settle(queries, changed ?? undefined);
  return changed;
}
