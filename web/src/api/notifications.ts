/** A person's notifications: the newest page, the unread count, reading them. */
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type { components } from './schema';

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

export function useMarkRead() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id?: string) =>
      api<void>(id ? `/api/v1/notifications/${id}/read` : '/api/v1/notifications/read', { method: 'POST' }),
    onSuccess: () => queries.invalidateQueries({ queryKey: keys.notifications }),
  });
}
