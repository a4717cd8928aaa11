/** People as others see them: a profile, finding people by name, who follows whom, and one's own profile. */
import { type QueryClient, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { rememberKudos } from './kudos';
import { keys, useAccount } from './queries';
import type { AboutMe, PeoplePage, Profile } from './types';

export function personPath(id: string, rest = ''): string {
  return `/api/v1/people/${encodeURIComponent(id)}${rest}`;
}

function withCursor(path: string, cursor: string): string {
  if (!cursor) return path;
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}

/** Someone as the viewer may see them; a 404 when unknown or blocked either way. */
export function usePerson(id: string | undefined) {
  const queries = useQueryClient();
  return useQuery({
    queryKey: keys.person(id ?? ''),
    queryFn: async () => {
      const profile = await api<Profile>(personPath(id ?? ''));
      rememberKudos(queries, profile.recent);
      return profile;
    },
    enabled: Boolean(id),
  });
}

/** The logged-in person's own profile (counts, recent trainings); undefined until the account is known. */
export function useMyPerson() {
  return usePerson(useAccount().data?.id);
}

/** A person's name as the viewer may see it, for lists that name people only by id. */
export function usePersonName(id: string | null | undefined): string | undefined {
  const person = usePerson(id ?? undefined);
  return person.data?.display_name;
}

/** A list of people a page at a time, by the cursor the server hands. */
function usePeoplePages(queryKey: readonly unknown[], path: string, enabled = true) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api<PeoplePage>(withCursor(path, pageParam)),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
  });
  return { ...query, people: query.data?.pages.flatMap((page) => page.items) ?? [] };
}

/** People whose name has these words, without those blocked either way. */
export function usePeopleSearch(words: string) {
  const trimmed = words.trim();
  return usePeoplePages(
    keys.peopleSearch(trimmed),
    `/api/v1/people?q=${encodeURIComponent(trimmed)}`,
    trimmed.length > 0,
  );
}

export function useFollowList(id: string, which: 'followers' | 'following', enabled = true) {
  return usePeoplePages(keys.followList(id, which), personPath(id, `/${which}`), enabled);
}

/** The people waiting for the person to approve their request to follow. */
export function useFollowRequests() {
  return usePeoplePages(keys.followRequests, '/api/v1/follow-requests');
}

/** What the person tells others: bio, sports, home area, private. */
export function useAboutMe() {
  return useQuery({ queryKey: keys.aboutMe, queryFn: () => api<AboutMe>('/api/v1/profile') });
}

export async function saveAboutMe(queries: QueryClient, about: AboutMe): Promise<AboutMe> {
  const saved = await api<AboutMe>('/api/v1/profile', { method: 'PUT', body: about });
  queries.setQueryData(keys.aboutMe, saved);
  // Turning a profile public accepts the waiting requests: counts and lists change.
  queries.invalidateQueries({ queryKey: keys.people });
  return saved;
}
