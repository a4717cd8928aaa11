/** Partners' offers: the few shown to a person, their settings, and a partner's own offers. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys, useAccount } from './queries';
import type { EquipmentSettings, Offer, Promotion } from './types';

/** The most offers the server shows at once; the screen never shows more. */
export const MOST_OFFERS = 3;

export function promotionPath(id: string, rest = ''): string {
  return `/api/v1/promotions/${encodeURIComponent(id)}${rest}`;
}

/** The offers for this person, most relevant first; none when they turned them off. */
export function useOffers() {
  return useQuery({
    queryKey: keys.offers,
    queryFn: () => api<Offer[]>('/api/v1/promotions'),
    // An offer is a courtesy: no retries, no error shown.
    retry: false,
  });
}

/** Not shown to this person again. */
export function useDismissOffer() {
  const queries = useQueryClient();
  return async (id: string) => {
    queries.setQueryData<Offer[]>(keys.offers, (offers) => offers?.filter((offer) => offer.id !== id));
    await api(promotionPath(id, '/dismissal'), { method: 'POST' });
  };
}

/** Whether offers are shown, and the country they may be aimed at. */
export function useEquipmentSettings() {
  return useQuery({
    queryKey: keys.equipmentSettings,
    queryFn: () => api<EquipmentSettings>('/api/v1/equipment/settings'),
  });
}

export function useSaveEquipmentSettings() {
  const queries = useQueryClient();
  return async (settings: EquipmentSettings) => {
    const saved = await api<EquipmentSettings>('/api/v1/equipment/settings', {
      method: 'PUT',
      body: settings,
    });
    queries.setQueryData(keys.equipmentSettings, saved);
    queries.invalidateQueries({ queryKey: keys.offers });
    return saved;
  };
}

/** Whether the account publishes offers: partners and administrators. */
export function useIsPartner(): boolean {
  const role = useAccount().data?.role;
  return role === 'partner' || role === 'admin';
}

/** A partner's own offers with their counts (an administrator's: everyone's). */
export function useMyPromotions() {
  return useQuery({
    queryKey: keys.myPromotions,
    queryFn: () => api<Promotion[]>('/api/v1/promotions/mine'),
  });
}
