/**
 * One-to-one conversations: the list, one conversation's history a page at a
 * time, sending, receipts and typing, and what the realtime socket says about
 * them (docs/partners.md, "Chat").
 */
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type {
  Account,
  ChatMessage,
  ChatPerson,
  Conversation,
  HistoryPage,
  MessageReport,
  PartnerMatch,
  Person,
  Receipts,
  ReportReason,
} from './types';

export function conversationPath(id: string, rest = ''): string {
  return `/api/v1/conversations/${encodeURIComponent(id)}${rest}`;
}

/** The `seq` up to which this device said it received each conversation's messages. */
const deliveredSaid = new Map<string, number>();
/** And read them. */
const readSaid = new Map<string, number>();

/** Tells the server how far the person has the other's messages; receipts only move forward. */
export async function sayReceived(id: string, seq: number, read = false) {
  const delivered = seq > (deliveredSaid.get(id) ?? 0);
  const seen = read && seq > (readSaid.get(id) ?? 0);
  if (!delivered && !seen) return;
  // A message read was received too.
  const change: Receipts = seen ? { delivered: seq, read: seq } : { delivered: seq };
  deliveredSaid.set(id, Math.max(seq, deliveredSaid.get(id) ?? 0));
  if (seen) readSaid.set(id, seq);
  try {
    await api(conversationPath(id, '/receipts'), { method: 'PUT', body: change });
  } catch {
    // Offline or refused: said again with the next message, or when the list is read again.
    deliveredSaid.delete(id);
    readSaid.delete(id);
  }
}

function myId(queries: QueryClient): string | undefined {
  return queries.getQueryData<Account>(keys.account)?.id;
}

/** Mine, latest message first. Reading them is receiving what came while away. */
export function useConversations(enabled = true) {
  return useQuery({
    queryKey: keys.conversations,
    queryFn: async () => {
      const list = await api<Conversation[]>('/api/v1/conversations');
      for (const conversation of list) {
        if (conversation.unread > 0) sayReceived(conversation.id, conversation.last_seq);
      }
      return list;
    },
    enabled,
  });
}

/** How many messages wait unread, over all conversations. */
export function useUnreadMessages(enabled: boolean): number {
  const list = useConversations(enabled).data ?? [];
  return list.reduce((sum, conversation) => sum + (conversation.ended ? 0 : conversation.unread), 0);
}

/** One conversation; what the list knows of it shows while it is asked. */
export function useConversation(id: string) {
  const queries = useQueryClient();
  return useQuery({
    queryKey: keys.conversation(id),
    queryFn: () => api<Conversation>(conversationPath(id)),
    placeholderData: () =>
      queries
        .getQueryData<Conversation[]>(keys.conversations)
        ?.find((conversation) => conversation.id === id),
  });
}

/** The history, newest first, a page (50) at a time going back. */
export function useMessages(id: string) {
  const history = useInfiniteQuery({
    queryKey: keys.messages(id),
    queryFn: ({ pageParam }) =>
      api<HistoryPage>(conversationPath(id, `/messages${pageParam ? `?before=${pageParam}` : ''}`)),
    initialPageParam: 0,
    getNextPageParam: (last) => last.next_before || undefined,
    refetchOnWindowFocus: false,
  });
  const seen = new Set<string>();
  const messages: ChatMessage[] = [];
  // Oldest first, as read.
  for (const page of [...(history.data?.pages ?? [])].reverse()) {
    for (const message of [...page.messages].reverse()) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      messages.push(message);
    }
  }
  messages.sort((a, b) => a.seq - b.seq);
  return { ...history, messages };
}

/** Opens (or finds) the conversation with someone; a 403 `chat-not-allowed` when they may not talk. */
export async function openConversation(queries: QueryClient, userId: string): Promise<Conversation> {
  const conversation = await api<Conversation>('/api/v1/conversations', {
    method: 'POST',
    body: { user_id: userId },
  });
  queries.setQueryData(keys.conversation(conversation.id), conversation);
  queries.invalidateQueries({ queryKey: keys.conversations });
  return conversation;
}

/** Sends; the same `clientId` again (a retry) answers the first message instead of a second. */
export async function sendMessage(
  queries: QueryClient,
  id: string,
  clientId: string,
  body: string,
): Promise<ChatMessage> {
  const message = await api<ChatMessage>(conversationPath(id, '/messages'), {
    method: 'POST',
    body: { client_id: clientId, body },
  });
  messageArrived(queries, id, message);
  return message;
}

export async function deleteMessage(queries: QueryClient, id: string, messageId: string) {
  await api(conversationPath(id, `/messages/${encodeURIComponent(messageId)}`), { method: 'DELETE' });
  messageGone(queries, id, messageId);
}

export async function reportMessage(id: string, messageId: string, reason: ReportReason, details: string) {
  const report: MessageReport = { reason, details };
  await api(conversationPath(id, `/messages/${encodeURIComponent(messageId)}/report`), {
    method: 'POST',
    body: report,
  });
}

/** Tells the other person one is typing; a screen says it again every few seconds while typing goes on. */
export async function sayTyping(id: string) {
  try {
    await api(conversationPath(id, '/typing'), { method: 'POST' });
  } catch {
    // Only a hint: nothing to do when it does not get through.
  }
}

/** Changes a conversation wherever it is cached: in the list and on its own. */
function changeConversation(queries: QueryClient, id: string, change: (c: Conversation) => Conversation) {
  let known = false;
  queries.setQueryData<Conversation[]>(keys.conversations, (list) =>
    list?.map((conversation) => {
      if (conversation.id !== id) return conversation;
      known = true;
      return change(conversation);
    }),
  );
  queries.setQueryData<Conversation>(keys.conversation(id), (conversation) => {
    if (!conversation) return conversation;
    known = true;
    return change(conversation);
  });
  return known;
}

/** A message in the conversation's history (once, in `seq` order) and as its latest in the list. */
function messageArrived(queries: QueryClient, id: string, message: ChatMessage) {
  const history = queries.getQueryData<InfiniteData<HistoryPage, number>>(keys.messages(id));
  const newest = history?.pages[0]?.messages[0]?.seq ?? 0;
  if (history && message.seq > newest + 1) {
    // One came that this screen never heard of (before the socket listened): the history is asked again.
    queries.invalidateQueries({ queryKey: keys.messages(id) });
  } else if (history) {
    const present = history.pages.some((page) => page.messages.some((item) => item.id === message.id));
    if (!present) {
      queries.setQueryData<InfiniteData<HistoryPage, number>>(keys.messages(id), (data) => {
        if (!data || data.pages.length === 0) return data;
        const [first, ...rest] = data.pages;
        if (!first) return data;
        const messages = [message, ...first.messages].sort((a, b) => b.seq - a.seq);
        return { ...data, pages: [{ ...first, messages }, ...rest] };
      });
    }
  } else {
    // Not read yet, or being read: asked again so the answer has it.
    queries.invalidateQueries({ queryKey: keys.messages(id) });
  }
  const mine = message.sender_id === myId(queries);
  let moved = false;
  queries.setQueryData<Conversation[]>(keys.conversations, (list) => {
    const found = list?.find((conversation) => conversation.id === id);
    if (!list || !found) return list;
    moved = true;
    if (found.last_message && found.last_message.seq >= message.seq) return list;
    const changed = {
      ...found,
      last_message: message,
      last_seq: message.seq,
      unread: mine ? found.unread : found.unread + 1,
    };
    return [changed, ...list.filter((conversation) => conversation.id !== id)];
  });
  if (!moved) queries.invalidateQueries({ queryKey: keys.conversations });
}

function messageGone(queries: QueryClient, id: string, messageId: string) {
  const erase = (message: ChatMessage): ChatMessage =>
    message.id === messageId ? { ...message, body: '', deleted: true } : message;
  queries.setQueryData<InfiniteData<HistoryPage, number>>(keys.messages(id), (data) =>
    data
      ? { ...data, pages: data.pages.map((page) => ({ ...page, messages: page.messages.map(erase) })) }
      : data,
  );
  changeConversation(queries, id, (conversation) => ({
    ...conversation,
    last_message: conversation.last_message && erase(conversation.last_message),
  }));
}

/** What the realtime socket says of chats and matches; the `data` of each kind (docs/partners.md, "Live"). */
export interface ChatEventData {
  conversation_id?: string;
  message?: ChatMessage;
  message_id?: string;
  user_id?: string;
  delivered_seq?: number;
  read_seq?: number;
  match?: PartnerMatch;
}

export const CHAT_KINDS = new Set([
  'ChatMessage',
  'ChatMessageDeleted',
  'ChatReceipt',
  'ChatTyping',
  'ConversationEnded',
  'PartnerMatched',
]);

/** Keeps the cached conversations as the events say, and says received what came from the other person. */
export function chatEventArrived(queries: QueryClient, kind: string, data: ChatEventData) {
  const id = data.conversation_id;
  const me = myId(queries);
  if (kind === 'ChatMessage' && id && data.message) {
    messageArrived(queries, id, data.message);
    if (data.message.sender_id !== me) sayReceived(id, data.message.seq);
  } else if (kind === 'ChatMessageDeleted' && id && data.message_id) {
    messageGone(queries, id, data.message_id);
  } else if (kind === 'ChatReceipt' && id) {
    const delivered = data.delivered_seq ?? 0;
    const read = data.read_seq ?? 0;
    if (data.user_id && data.user_id !== me) {
      const known = changeConversation(queries, id, (conversation) => ({
        ...conversation,
        their_delivered_seq: Math.max(conversation.their_delivered_seq, delivered),
        their_read_seq: Math.max(conversation.their_read_seq, read),
      }));
      if (!known) queries.invalidateQueries({ queryKey: keys.conversations });
    } else {
      // Read here or on another device: what is left unread is the server's to count.
      const known = queries.getQueryData<Conversation[]>(keys.conversations)?.find((c) => c.id === id);
      const last = known?.last_message;
      if (known && read <= known.read_seq) return; // only received: nothing read changed
      if (last && read >= last.seq)
        changeConversation(queries, id, (c) => ({ ...c, unread: 0, read_seq: read }));
      else queries.invalidateQueries({ queryKey: keys.conversations });
    }
  } else if (kind === 'ConversationEnded' && id) {
    changeConversation(queries, id, (conversation) => ({ ...conversation, ended: true }));
    queries.invalidateQueries({ queryKey: keys.conversations });
    queries.invalidateQueries({ queryKey: keys.matches });
  } else if (kind === 'PartnerMatched') {
    queries.invalidateQueries({ queryKey: keys.matches });
    queries.invalidateQueries({ queryKey: keys.conversations });
  }
}

/** After the socket could not resume: everything about chats is asked again. */
export function refreshChats(queries: QueryClient) {
  queries.invalidateQueries({ queryKey: keys.chat });
  queries.invalidateQueries({ queryKey: keys.matches });
}

/** The conversation is on the screen up to `seq`: read, and nothing in it is unread any more. */
export async function markRead(queries: QueryClient, id: string, seq: number) {
  const none = () =>
    changeConversation(queries, id, (conversation) => ({
      ...conversation,
      unread: 0,
      read_seq: Math.max(conversation.read_seq, seq),
    }));
  none();
  await sayReceived(id, seq, true);
  // A list asked before the server had the receipt answers the old count: it is asked again.
  if (queries.isFetching({ queryKey: keys.conversations }) > 0) {
    queries.invalidateQueries({ queryKey: keys.conversations });
  } else {
    none();
  }
}

/** The other person of a conversation or a match as the profile components take them. */
export function asPerson(person: ChatPerson, someone: string): Person {
  return {
    id: person.user_id,
    display_name: person.display_name || someone,
    avatar_url: person.avatar_url ?? null,
  };
}
