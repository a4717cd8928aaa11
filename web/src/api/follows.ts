/** Changing who follows whom: following, requests, removing a follower, and blocks. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { personPath } from './people';
import { keys } from './queries';
import type { FollowState, Person, Profile } from './types';

/** After a follow changed: counts, lists and the feed are asked again. */
function settleFollows(queries: QueryClient) {
  queries.invalidateQueries({ queryKey: keys.people });
  queries.invalidateQueries({ queryKey: keys.feed });
}

/** Follows someone (a request, for a private profile) or stops, or withdraws the request. */
export async function setFollowing(queries: QueryClient, id: string, follow: boolean): Promise<FollowState> {
  let state: FollowState = 'none';
  if (follow) state = await api<FollowState>(personPath(id, '/follow'), { method: 'PUT' });
  else await api(personPath(id, '/follow'), { method: 'DELETE' });
  queries.setQueryData<Profile>(keys.person(id), (profile) => profile && { ...profile, you_follow: state });
  settleFollows(queries);
  return state;
}

export async function answerRequest(queries: QueryClient, id: string, approve: boolean) {
  await api(`/api/v1/follow-requests/${encodeURIComponent(id)}`, { method: approve ? 'POST' : 'DELETE' });
  settleFollows(queries);
}

export async function removeFollower(queries: QueryClient, id: string) {
  await api(`/api/v1/followers/${encodeURIComponent(id)}`, { method: 'DELETE' });
  settleFollows(queries);
}

/** The people the person blocked, newest first. */
export function useBlocks(enabled = true) {
  return useQuery({ queryKey: keys.blocks, queryFn: () => api<Person[]>('/api/v1/blocks'), enabled });
}

export async function setBlocked(queries: QueryClient, id: string, block: boolean) {
  await api(`/api/v1/blocks/${encodeURIComponent(id)}`, { method: block ? 'PUT' : 'DELETE' });
  settleFollows(queries);
  // Their comments show again, or no more.
  queries.invalidateQueries({ queryKey: ['reactions'] });
}
