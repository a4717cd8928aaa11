/** Data the screens read, cached by TanStack Query under stable keys. */
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Account, ServerInfo, Sport, Units } from './types';

export const keys = {
  account: ['account'] as const,
  server: ['server'] as const,
  sports: ['sports'] as const,
  workouts: ['workouts'] as const,
  workout: (id: string) => ['workouts', id] as const,
  stats: (period: string) => ['stats', period] as const,
  records: ['records'] as const,
};

/**
 * A query whose last answer is also kept on the device, so the app still
 * knows the account's preferences and the sports while offline.
 */
function kept<T>(name: string, fetcher: () => Promise<T>) {
  const storage = `athlos.copy.${name}`;
  return {
    queryFn: async () => {
      const value = await fetcher();
      localStorage.setItem(storage, JSON.stringify(value));
      return value;
    },
    initialData: (): T | undefined => {
      const copy = localStorage.getItem(storage);
      return copy ? (JSON.parse(copy) as T) : undefined;
    },
    initialDataUpdatedAt: 0,
  };
}

export function forgetCopies() {
  for (const key of Object.keys(localStorage))
    if (key.startsWith('athlos.copy.')) localStorage.removeItem(key);
}

export function useAccount() {
  return useQuery({ queryKey: keys.account, ...kept('account', () => api<Account>('/api/v1/account')) });
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
