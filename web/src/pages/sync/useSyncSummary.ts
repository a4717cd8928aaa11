import { useEffect, useState } from 'react';
import type { ApiError } from '../../api/problem';
import { useOnline } from '../../lib/online';
import { useSnapshot } from '../../offline/local';
import type { Mutation } from '../../offline/protocol';
import { useSyncEngine } from '../../offline/sync';

/**
 * Where the sync stands, in the one word the top bar shows: a refused change
 * needs the person first, then a run under way, changes waiting, no network,
 * a failing server, and otherwise up to date.
 */
export type SyncPhase = 'refused' | 'syncing' | 'waiting' | 'offline' | 'failing' | 'synced' | 'starting';

export interface SyncSummary {
  phase: SyncPhase;
  /** Changes made here not answered yet (refused ones aside). */
  waiting: Mutation[];
  refused: Mutation[];
  syncedAt: number | null;
  error: ApiError | null;
  online: boolean;
}

export function useSyncSummary(): SyncSummary {
  const snapshot = useSnapshot();
  const engine = useSyncEngine();
  const online = useOnline();
  const refused = snapshot.mutations.filter((mutation) => mutation.refused);
  const waiting = snapshot.mutations.filter((mutation) => !mutation.refused);
  const phase: SyncPhase = refused.length
    ? 'refused'
    : online && engine.busy
      ? 'syncing'
      : waiting.length
        ? 'waiting'
        : !online
          ? 'offline'
          : engine.error
            ? 'failing'
            : snapshot.syncedAt
              ? 'synced'
              : 'starting';
  return { phase, waiting, refused, syncedAt: snapshot.syncedAt, error: engine.error, online };
}

/** Now, again every 20 seconds: for "synced 3 minutes ago" to stay true. */
export function useNow(everyMs = 20_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "just now", "3 minutes ago", "yesterday", in the reader's language. */
export function relativeTime(at: number, now: number, locale: string, justNow: string): string {
  const seconds = Math.round((at - now) / 1000);
  if (Math.abs(seconds) < 45) return justNow;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return format.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return format.format(hours, 'hour');
  return format.format(Math.round(hours / 24), 'day');
}
