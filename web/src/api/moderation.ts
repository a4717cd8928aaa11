/** Reports anyone files, and the administrators' queue, decisions and log. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys, useAccount } from './queries';
import type { Decision, LoggedAction, NewReport, Report } from './types';

/** The person's reports, newest first, with what was done about each. */
export function useMyReports() {
  return useQuery({ queryKey: keys.myReports, queryFn: () => api<Report[]>('/api/v1/reports') });
}

export async function fileReport(queries: QueryClient, report: NewReport): Promise<Report> {
  const filed = await api<Report>('/api/v1/reports', { method: 'POST', body: report });
  queries.invalidateQueries({ queryKey: keys.myReports });
  return filed;
}

export function useIsAdmin(): boolean {
  return useAccount().data?.role === 'admin';
}

/** The open reports, oldest first, with the reported content. */
export function useModerationQueue() {
  return useQuery({
    queryKey: keys.moderationQueue,
    queryFn: () => api<Report[]>('/api/v1/moderation/reports?state=open'),
  });
}

export function useModerationActions(enabled = true) {
  return useQuery({
    queryKey: keys.moderationActions,
    queryFn: () => api<LoggedAction[]>('/api/v1/moderation/actions'),
    enabled,
  });
}

export async function decideReport(queries: QueryClient, id: string, decision: Decision): Promise<Report> {
  const decided = await api<Report>(`/api/v1/moderation/reports/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body: decision,
  });
  queries.setQueryData<Report[]>(keys.moderationQueue, (queue) => queue?.filter((r) => r.id !== id));
  queries.invalidateQueries({ queryKey: ['moderation'] });
  // A hidden comment or training, a cleared bio: what others see changed.
  queries.invalidateQueries({ queryKey: ['reactions'] });
  queries.invalidateQueries({ queryKey: keys.people });
  return decided;
}
