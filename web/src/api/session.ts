/**
 * The login kept on this device. The refresh token lives in localStorage so
 * the app stays logged in across restarts and offline; the access token only
 * in memory. Refresh tokens work once, so two tabs must never trade the same
 * one: refreshing holds a Web Lock and re-reads storage inside it.
 */
import { ApiError, networkError, problemFrom } from './problem';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  session_id: string;
}

const KEY = 'athlos.session';

interface Stored {
  refresh_token: string;
  session_id: string;
}

let access: { token: string; expires: number } | null = null;
const listeners = new Set<() => void>();

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Stored) : null;
  } catch {
    return null;
  }
}

export function isLoggedIn(): boolean {
  return read() !== null;
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function changed() {
  for (const listener of listeners) listener();
}

export function keep(tokens: Tokens) {
  localStorage.setItem(
    KEY,
    JSON.stringify({ refresh_token: tokens.refresh_token, session_id: tokens.session_id }),
  );
  // A little early, so a request never leaves with a token about to expire.
  access = { token: tokens.access_token, expires: Date.now() + (tokens.expires_in - 30) * 1000 };
  changed();
}

export function forget() {
  localStorage.removeItem(KEY);
  access = null;
  changed();
}

// Another tab logged in or out.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === KEY) {
      access = null;
      changed();
    }
  });
}

async function withLock<T>(work: () => Promise<T>): Promise<T> {
  if (navigator.locks) return navigator.locks.request('athlos.refresh', work);
  return work();
}

/** A valid access token, refreshed when needed; null when not logged in. */
export async function accessToken(): Promise<string | null> {
  if (access && access.expires > Date.now()) return access.token;
  return withLock(async () => {
    if (access && access.expires > Date.now()) return access.token;
    const stored = read();
    if (!stored) return null;
    let response: Response;
    try {
      response = await fetch('/api/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: stored.refresh_token }),
      });
    } catch (cause) {
      throw networkError(cause);
    }
    if (response.ok) {
      keep((await response.json()) as Tokens);
      return access?.token ?? null;
    }
    const problem = await problemFrom(response);
    // Only a clear "no" ends the login here; a server hiccup keeps it.
    if (problem.status === 401 || problem.status === 403) forget();
    throw problem;
  });
}

/**
 * Whose an access token is: the `sub` of its payload. Read here (not checked:
 * the server does that) so the device's copy is never shown to, or sent
 * under, another login than the one that made it.
 */
export function userIdOf(token: string): string | null {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(
      part
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(part.length / 4) * 4, '='),
    );
    const sub = (JSON.parse(json) as { sub?: unknown }).sub;
    return typeof sub === 'string' && sub ? sub : null;
  } catch {
    return null;
  }
}

export function sessionId(): string | null {
  return read()?.session_id ?? null;
}

export { ApiError };
