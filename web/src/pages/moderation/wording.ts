/** How reports read: what was reported, why, and what was done. */
import type { Key } from '../../i18n';

/**
 * The server writes a decided report's outcome as an English phrase; these
 * are the phrases it writes (crates/social/src/moderation/mod.rs, `apply`),
 * so a Russian reader gets them in Russian. Another phrase shows as written.
 */
const OUTCOMES: Record<string, Key> = {
  'no rule was broken': 'outcome.dismiss',
  'the account was suspended': 'outcome.suspend',
  'the author was warned': 'outcome.warn',
  'the content was hidden': 'outcome.hide',
};

export function outcomeKey(outcome: string): Key | undefined {
  return OUTCOMES[outcome];
}

/** Where the reported thing is shown, when it has a page of its own (a comment has none). */
export function subjectHref(subject: string, id: string): string | undefined {
  if (subject === 'profile') return `/people/${id}`;
  if (subject === 'training') return `/workouts/${id}`;
  return undefined;
}
