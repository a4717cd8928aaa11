/** Training partners: opting in, the deck, swipes, matches and the mail settings (docs/partners.md). */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type {
  Candidate,
  MyFinder,
  PartnerMatch,
  PartnerSettings,
  Seeking,
  Suggestion,
  Swiped,
  Undone,
} from './types';

/** How many people the deck asks for at once (the server answers at most 50). */
const DECK_PAGE = 20;

/** The person's opt-in, and whether they are in the finder at all. */
export function useFinder() {
  return useQuery({ queryKey: keys.finder, queryFn: () => api<MyFinder>('/api/v1/partners/me') });
}

/** A level per sport from the person's recent trainings, to start the form with. */
export function useFinderSuggestions(enabled = true) {
  return useQuery({
    queryKey: keys.finderSuggestions,
    queryFn: () => api<Suggestion[]>('/api/v1/partners/suggestions'),
    enabled,
    staleTime: 10 * 60 * 1000,
  });
}

/** Opts in, or changes what one looks for. */
export async function saveFinder(queries: QueryClient, choice: Seeking): Promise<MyFinder> {
  const saved = await api<MyFinder>('/api/v1/partners/me', { method: 'PUT', body: choice });
  queries.setQueryData(keys.finder, saved);
  queries.removeQueries({ queryKey: keys.candidates });
  return saved;
}

/** Leaves every deck at once; matches and conversations stay. */
export async function optOut(queries: QueryClient) {
  await api('/api/v1/partners/me', { method: 'DELETE' });
  queries.removeQueries({ queryKey: keys.candidates });
  await queries.invalidateQueries({ queryKey: keys.finder });
}

/** The people the person may say yes or no to, best first. */
export function useCandidates(enabled: boolean) {
  return useQuery({
    queryKey: keys.candidates,
    queryFn: () => api<Candidate[]>(`/api/v1/partners/candidates?limit=${DECK_PAGE}`),
    enabled,
    // The deck is read once and worked through; it is asked again when it runs low.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

export async function swipe(queries: QueryClient, userId: string, yes: boolean): Promise<Swiped> {
  const outcome = await api<Swiped>('/api/v1/partners/swipes', {
    method: 'POST',
    body: { user_id: userId, yes },
  });
  if (outcome.matched) {
    queries.invalidateQueries({ queryKey: keys.matches });
    queries.invalidateQueries({ queryKey: keys.conversations });
  }
  return outcome;
}

/** Undoes the last swipe, and the match it made. */
export async function undoSwipe(queries: QueryClient): Promise<Undone> {
  const undone = await api<Undone>('/api/v1/partners/swipes/last', { method: 'DELETE' });
  if (undone.unmatched) {
    queries.invalidateQueries({ queryKey: keys.matches });
    queries.invalidateQueries({ queryKey: keys.conversations });
  }
  return undone;
}

export function useMatches() {
  return useQuery({ queryKey: keys.matches, queryFn: () => api<PartnerMatch[]>('/api/v1/partners/matches') });
}

/** Ends a match for both, and the conversation it opened. */
export async function unmatch(queries: QueryClient, userId: string) {
  await api(`/api/v1/partners/matches/${encodeURIComponent(userId)}`, { method: 'DELETE' });
  queries.setQueryData<PartnerMatch[]>(keys.matches, (matches) =>
    matches?.filter((m) => m.with.user_id !== userId),
  );
  queries.invalidateQueries({ queryKey: keys.matches });
  queries.invalidateQueries({ queryKey: keys.chat });
}

export function usePartnerSettings() {
  return useQuery({
    queryKey: keys.partnerSettings,
    queryFn: () => api<PartnerSettings>('/api/v1/partners/settings'),
  });
}

export async function savePartnerSettings(queries: QueryClient, settings: PartnerSettings) {
  const saved = await api<PartnerSettings>('/api/v1/partners/settings', { method: 'PUT', body: settings });
  queries.setQueryData(keys.partnerSettings, saved ?? settings);
}
