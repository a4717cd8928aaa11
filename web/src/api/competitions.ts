/** Competitions: the shelves, one competition, entering, teams, its board and the global boards. */
import { type QueryClient, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys, useAccount } from './queries';
import type {
  AroundMe,
  BoardPage,
  Competition,
  CompetitionEntry,
  CompetitionPage,
  EntryChoice,
  NewCompetition,
  Shelf,
  Team,
} from './types';

const PAGE = 20;
const BOARD_PAGE = 50;

export function competitionPath(id: string, rest = ''): string {
  return `/api/v1/competitions/${encodeURIComponent(id)}${rest}`;
}

/** A query string of the values given (empty ones left out), `?` first when there are any. */
function query(values: Record<string, string | number | boolean | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== '' && value !== false) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Whether the account sets up competitions: organisers and administrators. */
export function useIsOrganiser(): boolean {
  const role = useAccount().data?.role;
  return role === 'organiser' || role === 'admin';
}

/** A shelf of competitions (joined, open, past, organised), a page at a time. */
export function useCompetitions(shelf: Shelf) {
  const list = useInfiniteQuery({
    queryKey: keys.competitionShelf(shelf),
    queryFn: ({ pageParam }) =>
      api<CompetitionPage>(`/api/v1/competitions${query({ shelf, limit: PAGE, cursor: pageParam })}`),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return { ...list, competitions: list.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** One competition, with the caller's entry; an invite-only one needs its code until entered. */
export function useCompetition(id: string, code?: string) {
  return useQuery({
    queryKey: keys.competition(id),
    queryFn: () => api<Competition>(competitionPath(id, query({ code }))),
  });
}

/** Which part of a board to show; each is left out when empty. */
export interface BoardFilters {
  sex?: string;
  age_group?: string;
  weight_class?: string;
  team?: string;
  following?: boolean;
}

/** The board from the top, a page at a time, narrowed by the filters. */
export function useBoard(id: string, filters: BoardFilters, code?: string) {
  const board = useInfiniteQuery({
    queryKey: keys.competitionBoard(id, JSON.stringify(filters)),
    queryFn: ({ pageParam }) =>
      api<BoardPage>(
        competitionPath(id, `/board${query({ ...filters, code, limit: BOARD_PAGE, cursor: pageParam })}`),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return { ...board, standings: board.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** The caller's place on the board (with the same filters) and the people around them. */
export function useBoardPlace(id: string, filters: BoardFilters, enabled: boolean, code?: string) {
  return useQuery({
    queryKey: keys.competitionPlace(id, JSON.stringify(filters)),
    queryFn: () => api<AroundMe>(competitionPath(id, `/board/me${query({ ...filters, code, around: 3 })}`)),
    enabled,
  });
}

/** The teams, best first. */
export function useTeams(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.competitionTeams(id),
    queryFn: () => api<Team[]>(competitionPath(id, '/teams')),
    enabled,
  });
}

/** After anything about a competition changed: it, its board, places and teams, and the shelves. */
export function settleCompetition(queries: QueryClient, id?: string) {
  if (id) queries.invalidateQueries({ queryKey: keys.competition(id) });
  queries.invalidateQueries({ queryKey: [...keys.competitions, 'shelf'] });
}

export async function createCompetition(queries: QueryClient, values: NewCompetition): Promise<Competition> {
  const made = await api<Competition>('/api/v1/competitions', { method: 'POST', body: values });
  queries.setQueryData(keys.competition(made.id), made);
  settleCompetition(queries);
  return made;
}

export async function deleteCompetition(queries: QueryClient, id: string) {
  await api(competitionPath(id), { method: 'DELETE' });
  queries.removeQueries({ queryKey: keys.competition(id) });
  settleCompetition(queries);
}

/** Enters, or changes the entry (team, private entry, being told when overtaken). */
export async function enter(
  queries: QueryClient,
  id: string,
  choice: EntryChoice,
): Promise<CompetitionEntry> {
  const entry = await api<CompetitionEntry>(competitionPath(id, '/entry'), { method: 'PUT', body: choice });
  settleCompetition(queries, id);
  return entry;
}

export async function leave(queries: QueryClient, id: string) {
  await api(competitionPath(id, '/entry'), { method: 'DELETE' });
  settleCompetition(queries, id);
}

export async function createTeam(queries: QueryClient, id: string, name: string): Promise<Team> {
  const team = await api<Team>(competitionPath(id, '/teams'), { method: 'POST', body: { name } });
  queries.invalidateQueries({ queryKey: keys.competitionTeams(id) });
  return team;
}

/** Disqualifies someone's result with a reason (they are told), or reinstates it without one. */
export async function judge(queries: QueryClient, id: string, userId: string, reason?: string) {
  await api(competitionPath(id, `/entries/${encodeURIComponent(userId)}/disqualification`), {
    method: reason === undefined ? 'DELETE' : 'PUT',
    body: reason === undefined ? undefined : { reason },
  });
  settleCompetition(queries, id);
}

/** The global boards' distances, as the API names them. */
export const GLOBAL_DISTANCES = ['1k', '5k', '10k', 'half', 'marathon'] as const;
export type GlobalDistance = (typeof GLOBAL_DISTANCES)[number];
export type GlobalPeriod = 'all' | 'year';

function leaderboardPath(sport: string, distance: GlobalDistance, rest = ''): string {
  return `/api/v1/leaderboards/${encodeURIComponent(sport)}/${distance}${rest}`;
}

/** Everyone's fastest public effort over a distance in a sport, all time or this year. */
export function useLeaderboard(sport: string, distance: GlobalDistance, period: GlobalPeriod) {
  const board = useInfiniteQuery({
    queryKey: keys.leaderboard(sport, distance, period),
    queryFn: ({ pageParam }) =>
      api<BoardPage>(
        leaderboardPath(sport, distance, query({ period, limit: BOARD_PAGE, cursor: pageParam })),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  return { ...board, standings: board.data?.pages.flatMap((page) => page.items) ?? [] };
}

export function useLeaderboardPlace(sport: string, distance: GlobalDistance, period: GlobalPeriod) {
  return useQuery({
    queryKey: keys.leaderboardPlace(sport, distance, period),
    queryFn: () => api<AroundMe>(leaderboardPath(sport, distance, `/me${query({ period, around: 3 })}`)),
  });
}
