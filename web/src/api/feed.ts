/** The feed: the person's trainings and those of the people they follow, newest first, a page at a time. */
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { rememberKudos } from './kudos';
import { keys } from './queries';
import type { FeedPage } from './types';

const PAGE = 20;

export function useFeed(enabled = true) {
  const queries = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: keys.feed,
    queryFn: async ({ pageParam }) => {
      const cursor = pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : '';
      const page = await api<FeedPage>(`/api/v1/feed?limit=${PAGE}${cursor}`);
      rememberKudos(queries, page.items);
      return page;
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled,
  });
  return { ...query, entries: query.data?.pages.flatMap((page) => page.items) ?? [] };
}
