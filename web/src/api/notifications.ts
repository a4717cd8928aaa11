/** A person's notifications: the newest page, the unread count, reading them. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type { components } from './schema';
import type { KudosState } from './types';

export type Notification = components['schemas']['Notification'];
export type NotificationPage = components['schemas']['NotificationPage'];

export function useNotifications(enabled = true) {
  return useQuery({
    queryKey: keys.notifications,
    queryFn: () => api<NotificationPage>('/api/v1/notifications?limit=50'),
    enabled,
  });
}

/** A notice that arrived live joins the list at once, with the server's count. */
export function noticeArrived(queries: QueryClient, notification: Notification, unread: number) {
  const known = queries.getQueryData<NotificationPage>(keys.notifications);
  if (!known) {
    queries.invalidateQueries({ queryKey: keys.notifications });
    return;
  }
  const items = [notification, ...known.items.filter((n) => n.id !== notification.id)];
  queries.setQueryData<NotificationPage>(keys.notifications, { ...known, items, unread });
}

/**
 * What a notice says changed elsewhere, asked again so open screens show it:
 * a training's comments and kudos, followers and requests, one's reports.
 */
export function refreshFor(queries: QueryClient, notification: Notification) {
  const workoutId = (notification.data as { workout_id?: string }).workout_id;
  switch (notification.kind) {
    case 'comment':
    case 'mention':
      if (workoutId) queries.invalidateQueries({ queryKey: keys.comments(workoutId) });
      queries.invalidateQueries({ queryKey: keys.feed });
      break;
    case 'kudos':
      // One more than known, at once where the training is open; the lists then say exactly.
      if (workoutId) {
        queries.setQueryData<KudosState>(
          keys.kudos(workoutId),
          (known) => known && { ...known, kudos: known.kudos + 1 },
        );
      }
      queries.invalidateQueries({ queryKey: keys.feed });
      queries.invalidateQueries({ queryKey: keys.people });
      break;
    case 'follower':
    case 'follow_request':
    case 'follow_approved':
      queries.invalidateQueries({ queryKey: keys.people });
      queries.invalidateQueries({ queryKey: keys.feed });
      break;
    case 'report_resolved':
      queries.invalidateQueries({ queryKey: keys.myReports });
      break;
    case 'competition_started':
    case 'competition_ended':
    case 'competition_overtaken':
    case 'competition_disqualified':
    case 'competition_reinstated':
      queries.invalidateQueries({ queryKey: keys.competitions });
      break;
  }
}

export function useMarkRead() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id?: string) =>
      api<void>(id ? `/api/v1/notifications/${id}/read` : '/api/v1/notifications/read', { method: 'POST' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.notifications }),
  });
}
