/**
 * A person's equipment: read from the device's copy (offline too) with
 * what only the server works out (use, wear, parts, photo) from its latest
 * answer when there is a network; added, changed and deleted through the
 * sync protocol, so the same screens work with or without one.
 */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useOnline } from '../lib/online';
import { createLocally, deleteLocally, updateLocally } from '../offline/changes';
import { equipmentView, type ListedEquipment, listEquipment } from '../offline/equipmentView';
import { sendSoon } from '../offline/sync';
import { knownHere, mutationsOf, useViews } from '../offline/views';
import { api } from './client';
import { keys, whileUsageIsCounted } from './queries';
import type { Equipment, EquipmentChanges, MonthlyUsage, NewEquipment } from './types';

export type EquipmentState = 'active' | 'retired' | 'all';
export type { ListedEquipment };

export function equipmentPath(id: string, rest = ''): string {
  return `/api/v1/equipment/${encodeURIComponent(id)}${rest}`;
}

/**
 * The device's copy of an item with the server's latest answer: all of the
 * answer when it is the newer one, else only what the server works out from
 * trainings and parts, which the copy may not have caught up with yet.
 */
function enriched(local: Equipment, server: Equipment | undefined): Equipment {
  if (!server) return local;
  if (Date.parse(server.updated_at) > Date.parse(local.updated_at)) return server;
  const { usage, worn, components, photo } = server;
  return { ...local, usage, worn, components, photo };
}

/** Every item as the server has it, asked again while a training's use may not be counted yet. */
function useServerList(enabled: boolean) {
  const online = useOnline();
  return useQuery({
    queryKey: keys.equipmentList('all'),
    queryFn: () => api<Equipment[]>('/api/v1/equipment?state=all'),
    refetchInterval: whileUsageIsCounted,
    enabled: enabled && online,
  });
}

/** The person's items in one state, newest first, with the changes waiting on this device. */
export function useEquipmentList(state: EquipmentState = 'active', enabled = true) {
  const { snapshot } = useViews();
  const server = useServerList(enabled);
  const items = useMemo(() => {
    const fetched = new Map((server.data ?? []).map((item) => [item.id, item]));
    // Until the first full pull has ended, the server's list stands in for the copy.
    const base = snapshot.complete
      ? [...snapshot.equipment.values()].map((item) => enriched(item as Equipment, fetched.get(item.id)))
      : server.data;
    if (!base) return undefined;
    return listEquipment(equipmentView(base, snapshot.mutations), state);
  }, [snapshot, server.data, state]);
  return { items, isPending: !items && server.isPending, error: items ? null : server.error };
}

/** One item, as the list shows it; `deleted` when it was deleted here and that waits to be sent. */
export function useEquipmentItem(id: string) {
  const online = useOnline();
  const { snapshot } = useViews();
  const local = knownHere('equipment', id, snapshot);
  const record = snapshot.equipment.get(id) as Equipment | undefined;
  const onServer = !local || record !== undefined;
  const server = useQuery({
    queryKey: keys.equipmentItem(id),
    queryFn: () => api<Equipment>(equipmentPath(id)),
    refetchInterval: whileUsageIsCounted,
    enabled: onServer && (online || !local),
  });
  const item = useMemo(() => {
    const base = record ? enriched(record, server.data) : local ? undefined : server.data;
    return equipmentView(base ? [base] : [], local ? mutationsOf(id, snapshot) : []).get(id);
  }, [record, server.data, local, id, snapshot]);
  return {
    item,
    deleted: local && !item,
    isPending: !item && server.isPending && server.fetchStatus !== 'idle',
    error: item ? null : server.error,
  };
}

/** Distance, time, climb and trainings per calendar month, oldest first. */
export function useMonthlyUsage(id: string, months = 12, enabled = true) {
  return useQuery({
    queryKey: keys.equipmentUsage(id, months),
    queryFn: () => api<MonthlyUsage[]>(equipmentPath(id, `/usage?months=${months}`)),
    refetchInterval: whileUsageIsCounted,
    enabled,
  });
}

/** After the server changed an item through its own routes (parts, photo, retirement): asked again. */
export function settle(queries: QueryClient, item?: Equipment) {
  if (item) queries.setQueryData(keys.equipmentItem(item.id), item);
  queries.invalidateQueries({ queryKey: keys.equipment });
  // Which offers fit depends on the person's equipment.
  queries.invalidateQueries({ queryKey: keys.offers });
}

function nameOf(values: Pick<NewEquipment, 'nickname' | 'brand' | 'model' | 'kind'>): string {
  return values.nickname || `${values.brand ?? ''} ${values.model ?? ''}`.trim() || values.kind;
}

/** Adds an item under the id chosen here; sent at once when possible. A refusal online is thrown. */
export async function addEquipment(values: NewEquipment & { id: string }) {
  const { id, ...fields } = values;
  const mutation = await createLocally('equipment', fields, nameOf(values), id);
  return sendSoon(mutation);
}

/** Changes an item (only what differs is given); sent at once when possible. */
export async function changeEquipment(item: Equipment, changes: EquipmentChanges) {
  const mutation = await updateLocally('equipment', item.id, changes, item.name);
  return sendSoon(mutation);
}

/** Deletes an item here at once, and on the server when it can. */
export async function deleteEquipment(item: Equipment) {
  const mutation = await deleteLocally('equipment', item.id, item.name);
  return sendSoon(mutation, { keepRefused: true });
}
