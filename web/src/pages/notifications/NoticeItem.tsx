import { Link } from 'wouter';
import { type Notification, useMarkRead } from '../../api/notifications';
import { usePersonName } from '../../api/people';
import { useUnits } from '../../api/queries';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { outcomeKey } from '../moderation/wording';
import { BY_SOMEONE, type NoticeData, wordNotice } from './wording';

/** One notice: a link to what it is about (read once opened), or a button that marks it read. */
export function NoticeItem({ notice }: { notice: Notification }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const markRead = useMarkRead();
  const actorId = BY_SOMEONE.has(notice.kind) ? (notice.data as NoticeData).user_id : undefined;
  const actor = usePersonName(actorId);
  const outcome = (text: string) => {
    const key = outcomeKey(text);
    return key ? t(key) : text;
  };
  const { text, href } = wordNotice(notice, { t, locale, units, actor, outcome });
  const label = `${text}${notice.read ? '' : ` (${t('notifications.unread')})`}`;
  const read = () => {
    if (!notice.read) markRead.mutate(notice.id);
  };
  const content = (
    <>
      <strong>{text}</strong>
      <span className="small muted">{formatDateTime(notice.created_at, locale)}</span>
    </>
  );
  return (
    <li className={notice.read ? 'read' : 'unread'} data-kind={notice.kind}>
      {href ? (
        <Link href={href} className="plain" aria-label={label} onClick={read}>
          {content}
        </Link>
      ) : (
        <button type="button" className="plain" aria-label={label} onClick={read}>
          {content}
        </button>
      )}
    </li>
  );
}
