/**
 * The realtime socket: one per open app, authenticated with a single-use
 * ticket, listening to the person's own topic. It reconnects by itself with
 * backoff and jitter (at once when the server says it is going away) and
 * resumes after the last event it saw; see docs/realtime.md.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { hintChanged } from '../offline/sync';
import { CHAT_KINDS, type ChatEventData, chatEventArrived, refreshChats } from './chat';
import { api } from './client';
import { type Notification, noticeArrived, refreshFor } from './notifications';
import { keys, refreshTrainings } from './queries';
import type { components } from './schema';
import { accessToken } from './session';

type Ticket = components['schemas']['Ticket'];

/** `starting` until the first connection; `connecting` only after one was lost or failed. */
export type LiveState = 'starting' | 'live' | 'connecting';

export interface ServerMessage {
  type: string;
  topic?: string;
  id?: string;
  kind?: string;
  user_id?: string;
  data?: { workout_id?: string; notification?: Notification; unread?: number } & ChatEventData;
}

/** Screens hearing the person's own events as they come (a conversation hears typing). */
const ownListeners = new Set<(message: ServerMessage) => void>();

/** Hears the person's own topic until the returned function is called. */
export function listenOwn(listener: (message: ServerMessage) => void): () => void {
  ownListeners.add(listener);
  return () => {
    ownListeners.delete(listener);
  };
}

/**
 * Topics a screen listens to besides the person's own (a competition's
 * board), on the same socket: subscribed while a screen watches them, again
 * after every reconnection. What arrives on one goes to its screens only.
 */
type TopicListener = (message: ServerMessage) => void;
const watched = new Map<string, Set<TopicListener>>();
/** The socket once the server said `ready`; none while connecting. */
let readySocket: WebSocket | null = null;

function send(socket: WebSocket | null, message: object) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
}

/** Listens to `topic` until the returned function is called. */
export function watchTopic(topic: string, listener: TopicListener): () => void {
  let listeners = watched.get(topic);
  if (!listeners) {
    listeners = new Set();
    watched.set(topic, listeners);
    send(readySocket, { type: 'subscribe', topic });
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0 || watched.get(topic) !== listeners) return;
    watched.delete(topic);
    send(readySocket, { type: 'unsubscribe', topic });
  };
}

/**
 * A screen's own topic: `onChange` runs on each event, on `subscribed`
 * (a change may have come between the screen's fetch and listening) and on
 * `refetch`. Answers whether the topic is being heard.
 */
export function useTopic(topic: string | undefined, onChange: (message: ServerMessage) => void): boolean {
  const latest = useRef(onChange);
  latest.current = onChange;
  const [heard, setHeard] = useState(false);
  useEffect(() => {
    if (!topic) return;
    const stop = watchTopic(topic, (message) => {
      if (message.type === 'subscribed') setHeard(true);
      if (message.type === 'refused' || message.type === 'closed') setHeard(false);
      if (['event', 'subscribed', 'refetch'].includes(message.type)) latest.current(message);
    });
    return () => {
      stop();
      setHeard(false);
    };
  }, [topic]);
  return heard;
}

function tellWatchers(message: ServerMessage) {
  for (const listener of (message.topic && watched.get(message.topic)) || []) listener(message);
}

const GOING_AWAY = 1001;
const FIRST_PAUSE_MS = 1000;
const LONGEST_PAUSE_MS = 30_000;

/** Between half and all of `ms`: replicas' clients do not all come back at once. */
function jittered(ms: number): number {
  return ms / 2 + Math.random() * (ms / 2);
}

interface Handlers {
  onEvent: (message: ServerMessage) => void;
  onRefetch: () => void;
  onState: (state: LiveState) => void;
}

/** Keeps a socket open until the returned function is called. */
export function keepConnected({ onEvent, onRefetch, onState }: Handlers): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let pause = FIRST_PAUSE_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSeen: string | undefined;

  const retry = (ms: number) => {
    onState('connecting');
    if (stopped) return;
    timer = setTimeout(open, jittered(ms));
    pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
  };

  async function open() {
    let ticket: Ticket;
    try {
      ticket = await api<Ticket>('/api/v1/realtime/ticket', { method: 'POST', body: {} });
    } catch {
      return retry(pause);
    }
    if (stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(
      `${scheme}://${location.host}/api/v1/realtime?ticket=${encodeURIComponent(ticket.ticket)}`,
    );
    socket.onmessage = (frame) => {
      const message = JSON.parse(String(frame.data)) as ServerMessage;
      const own = !message.topic || message.topic.startsWith('user:');
      if (message.type === 'ready') {
        pause = FIRST_PAUSE_MS;
        onState('live');
        readySocket = socket;
        socket?.send(
          JSON.stringify({ type: 'subscribe', topic: `user:${message.user_id}`, after: lastSeen }),
        );
        for (const topic of watched.keys()) send(socket, { type: 'subscribe', topic });
      } else if (!own) {
        tellWatchers(message);
      } else if (message.type === 'event') {
        lastSeen = message.id;
        onEvent(message);
      } else if (message.type === 'refetch') {
        onRefetch();
      } else if (message.type === 'reauth') {
        // The token behind the socket is about to expire: the session hands a fresh one.
        accessToken().then((token) => {
          if (token) socket?.send(JSON.stringify({ type: 'auth', token }));
        });
      }
    };
    socket.onclose = (event) => {
      if (readySocket === socket) readySocket = null;
      for (const topic of watched.keys()) tellWatchers({ type: 'closed', topic });
      socket = null;
      if (!stopped) retry(event.code === GOING_AWAY ? 250 : pause);
    };
  }

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (readySocket === socket) readySocket = null;
    socket?.close(1000);
  };
}

/** The live connection of the logged-in app: what it hears refreshes the screens that show it. */
export function useLive(enabled: boolean): LiveState {
  const queries = useQueryClient();
  const [state, setState] = useState<LiveState>('starting');
  useEffect(() => {
    if (!enabled) return;
    return keepConnected({
      onState: setState,
      onRefetch: () => {
        // Events were missed: the sync pulls whatever changed meanwhile.
        hintChanged();
        refreshTrainings(queries);
        refreshChats(queries);
      },
      // A workout changed on another device: lists, totals, records and the
      // workout itself (whose key lies under the list's) are fetched again.
      onEvent: (message) => {
        // The person's trainings or equipment changed (on another device, or from this one's push): pull.
        if (message.kind === 'SyncChanged') hintChanged();
        if (message.kind?.startsWith('Workout')) refreshTrainings(queries);
        if (message.kind === 'NotificationAdded' && message.data?.notification) {
          noticeArrived(queries, message.data.notification, message.data.unread ?? 0);
          refreshFor(queries, message.data.notification);
        }
        if (message.kind === 'NotificationsRead') queries.invalidateQueries({ queryKey: keys.notifications });
        if (message.kind && CHAT_KINDS.has(message.kind))
          chatEventArrived(queries, message.kind, message.data ?? {});
        for (const listener of ownListeners) listener(message);
      },
    });
  }, [enabled, queries]);
  return state;
}
