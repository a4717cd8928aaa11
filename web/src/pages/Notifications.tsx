import { useMarkRead, useNotifications } from '../api/notifications';
import { useI18n, useT } from '../i18n';
import { formatDateTime } from '../lib/dates';
import { describe, Loading } from '../ui/forms';

/** What the person was told, newest first; opening one marks it read. */
export default function Notifications() {
  const t = useT();
  const { language, locale } = useI18n();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const items = notifications.data?.items ?? [];
  const unread = notifications.data?.unread ?? 0;
  return (
    <>
      <div className="heading-row">
        <h1>{t('notifications.title')}</h1>
        {unread > 0 && (
          <button type="button" className="secondary" onClick={() => markRead.mutate(undefined)}>
            {t('notifications.readAll')}
          </button>
        )}
      </div>
      {notifications.isPending && <Loading />}
      {notifications.error && (
        <div className="alert">{describe(notifications.error, t, language === 'en')}</div>
      )}
      {notifications.isSuccess && items.length === 0 && <p className="muted">{t('notifications.empty')}</p>}
      <ul className="list card notifications" data-testid="notifications">
        {items.map((notice) => (
          <li key={notice.id} className={notice.read ? 'read' : 'unread'}>
            <button
              type="button"
              className="plain"
              aria-label={`${notice.title}${notice.read ? '' : ` (${t('notifications.unread')})`}`}
              onClick={() => !notice.read && markRead.mutate(notice.id)}
            >
              <strong>{notice.title}</strong>
              <span className="small muted">{formatDateTime(notice.created_at, locale)}</span>
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
