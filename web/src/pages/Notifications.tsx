import { useMarkRead, useNotifications } from '../api/notifications';
import { useI18n, useT } from '../i18n';
import { describe, Loading } from '../ui/forms';
import { NoticeItem } from './notifications/NoticeItem';

/** What the person was told, newest first; opening one marks it read. */
export default function Notifications() {
  const t = useT();
  const { language } = useI18n();
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
          <NoticeItem key={notice.id} notice={notice} />
        ))}
      </ul>
    </>
  );
}
