/**
 * What competitions' numbers and words read as: a score in its kind's unit,
 * the kind itself, and the window in the reader's locale and clock.
 */
import { useUnits } from '../../api/queries';
import type { Competition, CompetitionKind } from '../../api/types';
import { type Key, useI18n } from '../../i18n';
import { effortKey, formatDistance, formatDuration, formatElevation } from '../../lib/units';

export const KINDS: CompetitionKind[] = [
  'distance',
  'duration',
  'elevation',
  'trainings',
  'fastest',
  'longest',
];

/** The distances a fastest-effort competition may be over, in metres. */
export const EFFORTS = [400, 1000, 1609.344, 5000, 10000, 21097.5, 42195];

/** A score (metres, seconds or a count, by the kind) in the reader's units. */
export function useScoreText(): (kind: CompetitionKind, score: number | null | undefined) => string {
  const { locale, plural } = useI18n();
  const units = useUnits();
  return (kind, score) => {
    if (score == null) return '—';
    switch (kind) {
      case 'distance':
      case 'longest':
        return formatDistance(score, units, locale);
      case 'duration':
      case 'fastest':
        return formatDuration(score);
      case 'elevation':
        return formatElevation(score, units, locale);
      case 'trainings':
        return plural('competitions.trainings', score);
    }
  };
}

/** "Total distance", or "Fastest 5 km" for a fastest-effort competition. */
export function useKindText(): (competition: Pick<Competition, 'kind' | 'effort_m'>) => string {
  const { t } = useI18n();
  return ({ kind, effort_m }) =>
    kind === 'fastest' && effort_m
      ? t('competitions.kind.fastestOver', { distance: t(effortKey(effort_m) as Key) })
      : t(`competitions.kind.${kind}`);
}

/** From when to when, on the reader's clock: "1 Dec 2026, 08:00 – 8 Dec 2026, 20:00". */
export function formatWindow(starts: string, ends: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return format.formatRange(new Date(starts), new Date(ends));
}

/** The device's own time zone, such as `Europe/Berlin`. */
export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
