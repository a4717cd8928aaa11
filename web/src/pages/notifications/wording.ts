/**
 * A notice in the reader's words and where it leads. The server writes an
 * English title for mails; the app words each kind it knows from the
 * notice's data (docs/notifications.md) and falls back to that title.
 */
import type { Notification } from '../../api/notifications';
import type { Units } from '../../api/types';
import type { Key, Translate } from '../../i18n';
import { formatDistance } from '../../lib/units';

/** The fields the kinds put in `data` (the document leaves it a free object). */
export interface NoticeData {
  user_id?: string;
  workout_id?: string;
  title?: string;
  subject?: 'profile' | 'training' | 'comment' | 'message';
  subject_id?: string;
  report_id?: string;
  outcome?: string;
  equipment_id?: string;
  name?: string;
  distance_m?: number;
  competition_id?: string;
  /** A place on a competition's board; none when the person had no result. */
  place?: number | null;
  reason?: string | null;
  /** The conversation a match opened. */
  conversation_id?: string;
}

export interface Wording {
  text: string;
  /** The page it is about; none when it has no page (an export: the link is in the mail). */
  href?: string;
}

/** Kinds whose notice names who did it (`data.user_id`, the actor). */
export const BY_SOMEONE = new Set([
  'follower',
  'follow_request',
  'follow_approved',
  'kudos',
  'comment',
  'mention',
  'partner_match',
]);

/** The reason social writes into a warning's title only (its data lacks it). */
const WARNING_PREFIX = 'A moderator warned you: ';

interface Context {
  t: Translate;
  locale: string;
  units: Units;
  /** The actor's name, once known. */
  actor?: string;
  /** A decided report's outcome in the reader's words. */
  outcome: (outcome: string) => string;
}

export function wordNotice(notice: Notification, { t, locale, units, actor, outcome }: Context): Wording {
  const data = notice.data as NoticeData;
  const name = actor ?? t('person.someone');
  const title = data.title || t('notice.untitled');
  const workout = data.workout_id ? `/workouts/${data.workout_id}` : undefined;
  const person = data.user_id ? `/people/${data.user_id}` : undefined;
  const own = (key: Key, href?: string) => ({ text: t(key, { name, title }), href });
  switch (notice.kind) {
    case 'follower':
      return own('notice.follower', person);
    case 'follow_request':
      return own('notice.follow_request', '/follow-requests');
    case 'follow_approved':
      return own('notice.follow_approved', person);
    case 'kudos':
      return own('notice.kudos', workout);
    case 'comment':
      return own('notice.comment', workout);
    case 'mention':
      return own('notice.mention', workout);
    case 'content_hidden':
      return { text: t(`notice.content_hidden.${data.subject ?? 'training'}`), href: hiddenHref(data) };
    case 'moderation_warning': {
      const reason = notice.title.startsWith(WARNING_PREFIX) ? notice.title.slice(WARNING_PREFIX.length) : '';
      return { text: reason ? t('notice.moderation_warning', { reason }) : notice.title };
    }
    case 'report_resolved':
      return {
        text: t('notice.report_resolved', { outcome: outcome(data.outcome ?? '') }),
        href: '/reports',
      };
    case 'equipment_worn':
      return {
        text: t('notice.equipment_worn', {
          name: data.name ?? '',
          distance: formatDistance(data.distance_m ?? 0, units, locale, 0),
        }),
        href: data.equipment_id ? `/equipment/${data.equipment_id}` : undefined,
      };
    case 'partner_match':
      return own(
        'notice.partner_match',
        data.conversation_id ? `/chat/${data.conversation_id}` : '/partners/matches',
      );
    case 'export_ready':
      return { text: t('notice.export_ready') };
    case 'competition_started':
      return { text: t('notice.competition_started', { title }), href: competitionHref(data) };
    case 'competition_overtaken':
      return {
        text: t('notice.competition_overtaken', { title, place: data.place ?? '' }),
        href: competitionHref(data),
      };
    case 'competition_reinstated':
      return { text: t('notice.competition_reinstated', { title }), href: competitionHref(data) };
    case 'competition_ended':
      return {
        text:
          data.place != null
            ? t('notice.competition_ended.placed', { title, place: data.place })
            : t('notice.competition_ended', { title }),
        href: competitionHref(data),
      };
    case 'competition_disqualified':
      return {
        text: t('notice.competition_disqualified', { title, reason: data.reason ?? '' }),
        href: competitionHref(data),
      };
    default:
      return { text: notice.title };
  }
}

/** A hidden training is still the owner's to see; a cleared profile is edited in the settings. */
function hiddenHref(data: NoticeData): string | undefined {
  if (data.subject === 'training' && data.subject_id) return `/workouts/${data.subject_id}`;
  if (data.subject === 'profile') return '/settings/profile';
  return undefined;
}

function competitionHref(data: NoticeData): string | undefined {
  return data.competition_id ? `/competitions/${data.competition_id}` : undefined;
}
