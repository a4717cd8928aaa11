/** Data the screens read, cached by TanStack Query under stable keys. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { api } from './client';
import { isLoggedIn, subscribe } from './session';
import type { Account, ServerInfo, Sport, Units } from './types';

export const keys = {
  account: ['account'] as const,
  server: ['server'] as const,
  sports: ['sports'] as const,
  workouts: ['workouts'] as const,
  workout: (id: string) => ['workouts', id] as const,
  stats: (period?: string) => (period ? (['stats', period] as const) : (['stats'] as const)),
  records: ['records'] as const,
  notifications: ['notifications'] as const,
  equipment: ['equipment'] as const,
  equipmentList: (state: 'active' | 'retired' | 'all') => ['equipment', 'list', state] as const,
  equipmentItem: (id: string) => ['equipment', 'item', id] as const,
  equipmentUsage: (id: string, months: number) => ['equipment', 'item', id, 'usage', months] as const,
  equipmentSettings: ['equipment-settings'] as const,
  offers: ['offers'] as const,
  myPromotions: ['promotions', 'mine'] as const,
  feed: ['feed'] as const,
  people: ['people'] as const,
  person: (id: string) => ['people', 'profile', id] as const,
  peopleSearch: (words: string) => ['people', 'search', words] as const,
  followList: (id: string, which: 'followers' | 'following') => ['people', 'list', id, which] as const,
  followRequests: ['people', 'requests'] as const,
  blocks: ['people', 'blocks'] as const,
  aboutMe: ['about-me'] as const,
  kudos: (workoutId: string) => ['reactions', workoutId, 'kudos'] as const,
  comments: (workoutId: string) => ['reactions', workoutId, 'comments'] as const,
  myReports: ['reports'] as const,
  moderationQueue: ['moderation', 'queue'] as const,
  moderationActions: ['moderation', 'actions'] as const,
  competitions: ['competitions'] as const,
  competitionShelf: (shelf: string) => ['competitions', 'shelf', shelf] as const,
  competition: (id: string) => ['competitions', 'item', id] as const,
  competitionBoard: (id: string, filters: string) => ['competitions', 'item', id, 'board', filters] as const,
  competitionPlace: (id: string, filters: string) => ['competitions', 'item', id, 'me', filters] as const,
  competitionTeams: (id: string) => ['competitions', 'item', id, 'teams'] as const,
  leaderboard: (sport: string, distance: string, period: string) =>
    ['leaderboards', sport, distance, period] as const,
  leaderboardPlace: (sport: string, distance: string, period: string) =>
    ['leaderboards', sport, distance, period, 'me'] as const,
  partners: ['partners'] as const,
  finder: ['partners', 'me'] as const,
  finderSuggestions: ['partners', 'suggestions'] as const,
  candidates: ['partners', 'candidates'] as const,
  matches: ['partners', 'matches'] as const,
  partnerSettings: ['partners', 'settings'] as const,
  chat: ['chat'] as const,
  conversations: ['chat', 'list'] as const,
  conversation: (id: string) => ['chat', 'item', id] as const,
  messages: (id: string) => ['chat', 'item', id, 'messages'] as const,
};

/**
 * A query whose last answer is also kept on the device, so the app still
 * knows the account's preferences and the sports while offline.
 */
const COPY = 'athlos.copy.';

/** Keeps the device's copy of a kept query's answer (also after a change answered by a write). */
export function keepCopy(name: string, value: unknown) {
  localStorage.setItem(`${COPY}${name}`, JSON.stringify(value));
}

/** The device's copy of a kept answer, if there is one. */
export function readCopy<T>(name: string): T | undefined {
  const copy = localStorage.getItem(`${COPY}${name}`);
  return copy ? (JSON.parse(copy) as T) : undefined;
}

export function kept<T>(name: string, fetcher: () => Promise<T>) {
  return {
    queryFn: async () => {
      const value = await fetcher();
      keepCopy(name, value);
      return value;
    },
    initialData: (): T | undefined => readCopy<T>(name),
    initialDataUpdatedAt: 0,
  };
}

export function forgetCopies() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(COPY)) localStorage.removeItem(key);
}

/**
 * After a workout was added, changed or removed: lists, totals and records
 * are asked again. A fetch already running (one started offline and resumed)
 * is cancelled first, because TanStack Query hands a refetch that very fetch
 * when nothing was loaded yet, and it may answer from before the change.
 */
export async function refreshTrainings(queries: QueryClient) {
  usageCountedBy = Date.now() + USAGE_LAG_MS;
  for (const queryKey of [
    keys.workouts,
    keys.stats(),
    keys.records,
    keys.equipment,
    keys.offers,
    keys.feed,
  ]) {
    await queries.cancelQueries({ queryKey });
    queries.invalidateQueries({ queryKey });
  }
}

/**
 * Inventory counts a training on its equipment from training's events, a
 * moment after the training is saved: until then, screens showing equipment
 * ask again every two seconds (see `whileUsageIsCounted`).
 */
const USAGE_LAG_MS = 20_000;
let usageCountedBy = 0;

/** A `refetchInterval` for equipment: two seconds while a changed training may not be counted yet. */
export function whileUsageIsCounted(): number | false {
  return Date.now() < usageCountedBy ? 2000 : false;
}

/** Whether this device holds a login, following logins and logouts (in other tabs too). */
export function useLoggedIn(): boolean {
  return useSyncExternalStore(subscribe, isLoggedIn);
}

/** The account logged in here; asked only when someone is (a visitor reads a public training). */
export function useAccount() {
  const loggedIn = useLoggedIn();
  return useQuery({
    queryKey: keys.account,
    ...kept('account', () => api<Account>('/api/v1/account')),
    enabled: loggedIn,
  });
}

export function useUnits(): Units {
  return useAccount().data?.units ?? 'metric';
}

export function useServer() {
  return useQuery({
    queryKey: keys.server,
    queryFn: () => api<ServerInfo>('/api/v1/server', { anonymous: true }),
    staleTime: Infinity,
  });
}

export function useSports() {
  return useQuery({
    queryKey: keys.sports,
    ...kept('sports', () => api<Sport[]>('/api/v1/sports', { anonymous: true })),
    staleTime: 60 * 60 * 1000,
  });
}
