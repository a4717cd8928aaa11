import { Link } from 'wouter';
import { asPerson, useConversations } from '../../api/chat';
import { useAccount } from '../../api/queries';
import type { Conversation } from '../../api/types';
import { useI18n } from '../../i18n';
import { Avatar } from '../../ui/Avatar';
import { describe, Loading } from '../../ui/forms';
import { shortTime } from './time';

/** `/chat`: the person's conversations, latest message first, with what waits unread. */
export default function Conversations() {
  const { t, language } = useI18n();
  const list = useConversations();
  return (
    <>
      <div className="heading-row">
        <h1>{t('chat.title')}</h1>
        <div className="heading-links">
          <Link href="/partners">{t('chat.findPartners')}</Link>
          <Link href="/partners/matches">{t('partners.matches')}</Link>
        </div>
      </div>
      {list.isPending && <Loading />}
      {list.error && <div className="alert">{describe(list.error, t, language === 'en')}</div>}
      {list.data && list.data.length === 0 && <p className="muted">{t('chat.empty')}</p>}
      {list.data && list.data.length > 0 && (
        <ul className="list card conversations" data-testid="conversations">
          {list.data.map((conversation) => (
            <ConversationItem key={conversation.id} conversation={conversation} />
          ))}
        </ul>
      )}
    </>
  );
}

function ConversationItem({ conversation }: { conversation: Conversation }) {
  const { t, locale, plural } = useI18n();
  const me = useAccount().data?.id;
  const last = conversation.last_message;
  const other = asPerson(conversation.with, t('person.someone'));
  const unread = conversation.ended ? 0 : conversation.unread;
  let preview = t('chat.noMessages');
  if (last) {
    const text = last.deleted ? t('chat.deleted') : last.body.replace(/\s+/g, ' ');
    preview = last.sender_id === me ? t('chat.youSaid', { text }) : text;
  }
  const label = [
    other.display_name,
    unread > 0 ? plural('chat.unread', unread) : '',
    conversation.ended ? t('chat.ended') : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <li className={`conversation-item${unread > 0 ? ' unread' : ''}`}>
      <Link href={`/chat/${conversation.id}`} className="conversation-link" aria-label={label}>
        <Avatar person={other} />
        <span className="conversation-text">
          <span className="conversation-name">
            <strong>{other.display_name}</strong>
            {conversation.ended && <span className="badge ended-badge">{t('chat.ended')}</span>}
          </span>
          <span className="conversation-preview">{preview}</span>
        </span>
        <span className="conversation-meta">
          {last && <time dateTime={last.sent_at}>{shortTime(last.sent_at, locale)}</time>}
          {unread > 0 && (
            <span className="unread-count" aria-hidden="true">
              {unread > 99 ? '99+' : unread}
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}
