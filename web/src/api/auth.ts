/** Logging in and out: the auth endpoints, and keeping the tokens they answer. */
import { getPasskey } from '../lib/webauthn';
import { forgetCopy } from '../offline/store';
import { api } from './client';
import { forgetCopies } from './queries';
import { forget, keep, type Tokens } from './session';
import type { LoginAnswer } from './types';

export type SecondStep = { challenge: string; methods: string[] };

/** Logs in with a password: done, or the second step the account asks for. */
export async function logIn(email: string, password: string): Promise<SecondStep | null> {
  const answer = await api<LoginAnswer>('/api/v1/auth/login', {
    method: 'POST',
    body: { email, password },
    anonymous: true,
  });
  if ('second_factor_required' in answer) return { challenge: answer.challenge, methods: answer.methods };
  keep(answer);
  return null;
}

export async function secondFactor(challenge: string, proof: { code: string } | { recovery_code: string }) {
  keep(
    await api<Tokens>('/api/v1/auth/login/second-factor', {
      method: 'POST',
      body: { challenge, ...proof },
      anonymous: true,
    }),
  );
}

export async function secondFactorPasskey(challenge: string) {
  const options = await api<{ ceremony: string; options: never }>(
    '/api/v1/auth/login/second-factor/passkey',
    {
      method: 'POST',
      body: { challenge },
      anonymous: true,
    },
  );
  const credential = await getPasskey(options.options);
  keep(
    await api<Tokens>('/api/v1/auth/login/second-factor', {
      method: 'POST',
      body: { challenge, passkey: { ceremony: options.ceremony, credential } },
      anonymous: true,
    }),
  );
}

export async function logInWithPasskey() {
  const start = await api<{ ceremony: string; options: never }>('/api/v1/auth/passkey/start', {
    method: 'POST',
    anonymous: true,
  });
  const credential = await getPasskey(start.options);
  keep(
    await api<Tokens>('/api/v1/auth/passkey/finish', {
      method: 'POST',
      body: { ceremony: start.ceremony, credential },
      anonymous: true,
    }),
  );
}

/** Ends this device's session on the server (when reachable) and forgets it here. */
export async function logOut() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST' });
  } catch {
    // Offline or already ended: forgetting the tokens here is what matters.
  }
  forgetLogin();
}

/** Forgets the login and the account's copies on this device (its trainings and equipment too). */
export function forgetLogin() {
  forget();
  forgetCopies();
  forgetCopy().catch(() => {
    // No store to empty (a private window): nothing was kept.
  });
}

export { keep };
