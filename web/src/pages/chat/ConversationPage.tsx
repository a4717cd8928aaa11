import { useQueryClient } from '@tanstack/react-query';
import {
  type KeyboardEvent,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { Link } from 'wouter';
import {
  asPerson,
  deleteMessage,
  markRead,
  sayTyping,
  sendMessage,
  useConversation,
  useMessages,
} from '../../api/chat';
import { ApiError } from '../../api/problem';
import { keys, useAccount } from '../../api/queries';
import { listenOwn } from '../../api/realtime';
import type { ChatMessage, Conversation } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDay } from '../../lib/dates';
import { newId } from '../../lib/id';
import { Avatar } from '../../ui/Avatar';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, Loading } from '../../ui/forms';
import { Icon } from '../../ui/icons';
import { MenuButton } from '../../ui/MenuButton';
import { MessageText } from './MessageText';
import { ReportMessageDialog } from './ReportMessageDialog';
import { clockTime, dayKey, sameDay } from './time';

/** The longest message the server takes, after trimming. */
const MAX_LENGTH = 4000;
/** Typing is told at most this often while it goes on. */
const TYPING_EVERY_MS = 3000;
/** How long "… is typing" shows after the other person was last heard typing. */
const TYPING_SHOWN_MS = 5000;
/** How close to the top (px) the history asks for older messages, and to the bottom it follows new ones. */
const EDGE = 120;

/** A message sent from here that the server has not answered yet, or refused. */
interface Pending {
  client_id: string;
  body: string;
  /** The newest `seq` shown when it was sent: the message it becomes comes after. */
  after: number;
  failed: string | null;
}

function subscribeVisibility(listener: () => void) {
  document.addEventListener('visibilitychange', listener);
  return () => document.removeEventListener('visibilitychange', listener);
}

/** Whether the page is on the screen (not a hidden tab): only then are messages read. */
function useVisible(): boolean {
  return useSyncExternalStore(subscribeVisibility, () => document.visibilityState === 'visible');
}

/** `/chat/:id`: one conversation, live. */
export default function ConversationPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const conversation = useConversation(id);
  if (conversation.isPending) return <Loading />;
  if (!conversation.data) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <>
        <p className="back-link small">
          <Link href="/chat">← {t('chat.title')}</Link>
        </p>
        <div className="alert">
          {missing ? t('chat.notFound') : describe(conversation.error, t, language === 'en')}
        </div>
      </>
    );
  }
  return <ChatScreen conversation={conversation.data} />;
}

function ChatScreen({ conversation }: { conversation: Conversation }) {
  const { t, locale, language } = useI18n();
  const queries = useQueryClient();
  const me = useAccount().data?.id;
  const id = conversation.id;
  const other = asPerson(conversation.with, t('person.someone'));
  const history = useMessages(id);
  const { messages, hasNextPage, isFetchingNextPage, fetchNextPage } = history;
  const [pending, setPending] = useState<Pending[]>([]);
  const [typing, setTyping] = useState(false);
  const [deleting, setDeleting] = useState<ChatMessage | null>(null);
  const [reporting, setReporting] = useState<ChatMessage | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const log = useRef<HTMLDivElement>(null);
  const english = language === 'en';

  // Live: the other person typing (for a few seconds), and what was sent from here arriving.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = listenOwn((message) => {
      const data = message.data;
      if (!data || data.conversation_id !== id) return;
      if (message.kind === 'ChatTyping' && data.user_id !== me) {
        setTyping(true);
        clearTimeout(timer);
        timer = setTimeout(() => setTyping(false), TYPING_SHOWN_MS);
      } else if (message.kind === 'ChatMessage' && data.message?.sender_id !== me) {
        clearTimeout(timer);
        setTyping(false);
      } else if (message.kind === 'ConversationEnded') {
        queries.invalidateQueries({ queryKey: keys.conversation(id) });
      }
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [id, me, queries]);

  // Read: the other person's newest message, while this page is on the screen.
  const visible = useVisible();
  const readUpTo = conversation.read_seq;
  const newestTheirs = [...messages].reverse().find((message) => message.sender_id !== me)?.seq;
  useEffect(() => {
    if (visible && me && newestTheirs !== undefined && newestTheirs > readUpTo)
      markRead(queries, id, newestTheirs);
  }, [visible, me, newestTheirs, readUpTo, id, queries]);

  // Scrolling: at the bottom it follows new messages; near the top it brings older ones, keeping the place.
  const atBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const older = useCallback(() => {
    const element = log.current;
    if (!element || !hasNextPage || isFetchingNextPage) return;
    anchor.current = { height: element.scrollHeight, top: element.scrollTop };
    fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  const onScroll = () => {
    const element = log.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < EDGE;
    if (element.scrollTop < EDGE) older();
  };
  const firstId = messages[0]?.id;
  const lastId = messages.at(-1)?.id;
  const lastMine = messages.at(-1)?.sender_id === me;
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows what is shown, not how
  useLayoutEffect(() => {
    const element = log.current;
    if (!element) return;
    if (anchor.current) {
      element.scrollTop = element.scrollHeight - anchor.current.height + anchor.current.top;
      anchor.current = null;
    } else if (atBottom.current || lastMine) {
      element.scrollTop = element.scrollHeight;
      atBottom.current = true;
    }
  }, [firstId, lastId, pending.length, typing]);
  // A first page that does not fill the screen cannot be scrolled up: the next is asked at once.
  useEffect(() => {
    const element = log.current;
    if (element && history.isSuccess && element.scrollHeight <= element.clientHeight) older();
  }, [history.isSuccess, older]);

  const send = async (body: string, clientId = newId()) => {
    setFailure(null);
    setPending((waiting) => [
      ...waiting.filter((p) => p.client_id !== clientId),
      { client_id: clientId, body, after: messages.at(-1)?.seq ?? 0, failed: null },
    ]);
    atBottom.current = true;
    try {
      await sendMessage(queries, id, clientId, body);
      setPending((waiting) => waiting.filter((p) => p.client_id !== clientId));
    } catch (error) {
      const message = describe(error, t, english);
      setPending((waiting) => waiting.map((p) => (p.client_id === clientId ? { ...p, failed: message } : p)));
      // Ended or no longer allowed meanwhile: the screen says so.
      if (error instanceof ApiError && (error.status === 403 || error.status === 409)) {
        queries.invalidateQueries({ queryKey: keys.conversation(id) });
      }
    }
  };

  const remove = async (message: ChatMessage) => {
    setDeleting(null);
    try {
      await deleteMessage(queries, id, message.id);
    } catch (error) {
      setFailure(describe(error, t, english));
    }
  };

  // A message sent from here may arrive over the socket before its answer: then it shows once.
  const claimed = new Set<string>();
  const waiting = pending.filter((p) => {
    if (p.failed) return true;
    const twin = messages.find(
      (m) => m.sender_id === me && m.seq > p.after && m.body === p.body && !claimed.has(m.id),
    );
    if (twin) claimed.add(twin.id);
    return !twin;
  });

  let previousDay = '';
  const today = new Date();
  const rows = messages.flatMap((message) => {
    const day = dayKey(message.sent_at);
    const heading =
      day === previousDay ? null : (
        <li key={`day-${day}`} className="chat-day">
          {sameDay(new Date(message.sent_at), today) ? t('chat.today') : formatDay(message.sent_at, locale)}
        </li>
      );
    previousDay = day;
    const mine = message.sender_id === me;
    let receipt: 'read' | 'delivered' | 'sent' | undefined;
    if (mine) {
      if (conversation.their_read_seq >= message.seq) receipt = 'read';
      else if (conversation.their_delivered_seq >= message.seq) receipt = 'delivered';
      else receipt = 'sent';
    }
    const row = (
      <li key={message.id} className={`bubble-row ${mine ? 'mine' : 'theirs'}`} data-testid="message">
        <div className={`bubble${message.deleted ? ' deleted' : ''}`}>
          {message.deleted ? (
            <p className="bubble-text">{t('chat.deleted')}</p>
          ) : (
            <p className="bubble-text">
              <MessageText text={message.body} />
            </p>
          )}
          <span className="bubble-meta">
            <time dateTime={message.sent_at}>{clockTime(message.sent_at, locale)}</time>
            {receipt && <Receipt state={receipt} />}
          </span>
        </div>
        {!message.deleted && (
          <MenuButton label={t('chat.messageMenu')}>
            {mine ? (
              <button type="button" className="plain danger-text" onClick={() => setDeleting(message)}>
                {t('chat.delete')}
              </button>
            ) : (
              <button type="button" className="plain" onClick={() => setReporting(message)}>
                {t('chat.report')}
              </button>
            )}
          </MenuButton>
        )}
      </li>
    );
    return heading ? [heading, row] : [row];
  });

  return (
    <section className="chat-screen" aria-labelledby="chat-title">
      <header className="chat-head">
        <Link href="/chat" className="chat-back" aria-label={t('chat.back')}>
          ←
        </Link>
        <h1 id="chat-title" className="chat-title">
          <Link href={`/people/${other.id}`} className="person-link">
            <Avatar person={other} />
            <span>{other.display_name}</span>
          </Link>
        </h1>
        {conversation.ended && <span className="badge ended-badge">{t('chat.ended')}</span>}
      </header>
      <div className="chat-log" ref={log} onScroll={onScroll} data-testid="chat-log">
        {hasNextPage && (
          <button type="button" className="link load-older" disabled={isFetchingNextPage} onClick={older}>
            {isFetchingNextPage ? t('common.loading') : t('chat.older')}
          </button>
        )}
        {history.isPending && <Loading />}
        {history.error && <div className="alert">{describe(history.error, t, english)}</div>}
        {history.isSuccess && messages.length === 0 && waiting.length === 0 && (
          <p className="muted chat-start">{t('chat.start', { name: other.display_name })}</p>
        )}
        <ol
          className="list messages"
          aria-label={t('chat.messages')}
          aria-live="polite"
          aria-relevant="additions"
        >
          {rows}
          {waiting.map((p) => (
            <li key={p.client_id} className="bubble-row mine" data-testid="message">
              <div className={`bubble pending${p.failed ? ' failed' : ''}`}>
                <p className="bubble-text">
                  <MessageText text={p.body} />
                </p>
                <span className="bubble-meta">
                  {p.failed ? (
                    <span className="error">{t('chat.notSent')}</span>
                  ) : (
                    <Receipt state="sending" />
                  )}
                </span>
              </div>
              {p.failed && (
                <span className="pending-actions">
                  <span className="small error">{p.failed}</span>
                  <button type="button" className="link" onClick={() => send(p.body, p.client_id)}>
                    {t('chat.retry')}
                  </button>
                  <button
                    type="button"
                    className="link"
                    onClick={() => setPending((all) => all.filter((q) => q.client_id !== p.client_id))}
                  >
                    {t('chat.discard')}
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
        <p className="typing small muted" aria-live="polite" data-testid="typing">
          {typing && !conversation.ended ? t('chat.typing', { name: other.display_name }) : ''}
        </p>
      </div>
      {failure && (
        <div className="alert" role="alert">
          {failure}
        </div>
      )}
      {conversation.ended ? (
        <p className="notice chat-ended" data-testid="chat-ended">
          {t('chat.endedText', { name: other.display_name })}
        </p>
      ) : (
        <SendBox id={id} onSend={(body) => send(body)} />
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t('chat.deleteTitle')}
        text={t('chat.deleteText')}
        confirmLabel={t('chat.delete')}
        danger
        onConfirm={() => deleting && remove(deleting)}
        onCancel={() => setDeleting(null)}
      />
      <ReportMessageDialog
        conversationId={id}
        message={reporting}
        name={other.display_name}
        onClose={() => setReporting(null)}
      />
    </section>
  );
}

/** ✓ received, ✓✓ read, on one's own messages. */
function Receipt({ state }: { state: 'sending' | 'sent' | 'delivered' | 'read' }) {
  const t = useI18n().t;
  const marks = { sending: '◷', sent: '', delivered: '✓', read: '✓✓' }[state];
  return (
    <span className="receipt" data-state={state} title={t(`chat.receipt.${state}`)}>
      <span aria-hidden="true">{marks}</span>
      <span className="visually-hidden">{t(`chat.receipt.${state}`)}</span>
    </span>
  );
}

/** The box to write in: Enter sends, Shift+Enter starts a new line; typing is told every few seconds. */
function SendBox({ id, onSend }: { id: string; onSend: (body: string) => void }) {
  const t = useI18n().t;
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  const toldTyping = useRef(0);

  // The box grows with what is written, up to a few lines.
  // biome-ignore lint/correctness/useExhaustiveDependencies: measured again on each change of the text
  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, 160)}px`;
  }, [text]);

  const submit = () => {
    const body = text.trim();
    if (!body || body.length > MAX_LENGTH) return;
    onSend(body);
    setText('');
    toldTyping.current = 0;
    box.current?.focus();
  };
  const change = (value: string) => {
    setText(value);
    const now = Date.now();
    if (value.trim() && now - toldTyping.current >= TYPING_EVERY_MS) {
      toldTyping.current = now;
      sayTyping(id);
    }
  };
  const key = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  const over = text.trim().length > MAX_LENGTH;
  return (
    <form
      className="send-box"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`send-${id}`} className="visually-hidden">
        {t('chat.write')}
      </label>
      <textarea
        id={`send-${id}`}
        ref={box}
        rows={1}
        value={text}
        placeholder={t('chat.writePlaceholder')}
        aria-invalid={over}
        aria-describedby={over ? `send-${id}-over` : undefined}
        onChange={(e) => change(e.target.value)}
        onKeyDown={key}
      />
      <button
        type="submit"
        className="send-button"
        aria-label={t('chat.send')}
        disabled={!text.trim() || over}
      >
        <Icon name="send" />
      </button>
      {over && (
        <span id={`send-${id}-over`} className="error small send-over" role="alert">
          {t('chat.tooLong', { max: MAX_LENGTH })}
        </span>
      )}
    </form>
  );
}
