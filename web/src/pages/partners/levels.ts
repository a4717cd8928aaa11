/**
 * A level is a speed range in km/h, as the API keeps it. Runs and walks read
 * it as a pace (time per km or mile), the others as a speed, in the reader's
 * units.
 */
import type { SportLevel, TimeOfDay, Units, Weekday } from '../../api/types';
import { distanceUnit, formatDuration, speedUnit, usesPace } from '../../lib/units';

const KM_PER_MILE = 1.609344;
export const MIN_KMH = 0.5;
export const MAX_KMH = 200;

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const TIMES: TimeOfDay[] = ['morning', 'midday', 'afternoon', 'evening'];

/** A day's short name in the reader's language (1 January 2024 was a Monday). */
export function weekdayName(day: Weekday, locale: string, width: 'short' | 'long' = 'short'): string {
  return new Date(2024, 0, 1 + WEEKDAYS.indexOf(day)).toLocaleDateString(locale, { weekday: width });
}

function perUnit(kmh: number, units: Units): number {
  return units === 'imperial' ? kmh / KM_PER_MILE : kmh;
}

function fromPerUnit(value: number, units: Units): number {
  return units === 'imperial' ? value * KM_PER_MILE : value;
}

/** `5:30` for 10.9 km/h (per km), the way a pace is typed. */
export function paceText(kmh: number, units: Units): string {
  return formatDuration(3600 / perUnit(kmh, units));
}

/** A pace typed as `5:30` (or `5` for whole minutes), in km/h; null when it cannot be read. */
export function parsePace(text: string, units: Units): number | null {
  const found = text.trim().match(/^(\d{1,3})(?:[:.,](\d{1,2}))?$/);
  if (!found) return null;
  const seconds = Number(found[1]) * 60 + Number(found[2] ?? 0);
  if (seconds <= 0 || Number(found[2] ?? 0) >= 60) return null;
  return fromPerUnit(3600 / seconds, units);
}

/** `25` or `12.5`, the way a speed is typed. */
export function speedText(kmh: number, units: Units): string {
  return String(Math.round(perUnit(kmh, units) * 10) / 10);
}

export function parseSpeed(text: string, units: Units): number | null {
  const value = Number(text.trim().replace(',', '.'));
  if (!text.trim() || !Number.isFinite(value) || value <= 0) return null;
  return fromPerUnit(value, units);
}

/** What a level's numbers are in: `min/km` (`minutes` names the minutes) or `km/h`, or their imperial kin. */
export function levelUnit(sport: string, units: Units, locale: string, minutes: string): string {
  return usesPace(sport) ? `${minutes}/${distanceUnit(units, locale)}` : speedUnit(units, locale);
}

/** A level as read: `5:00–6:15 /km` (faster first) or `20–28 km/h`. */
export function levelText(level: SportLevel, units: Units, locale: string): string {
  if (usesPace(level.sport)) {
    return `${paceText(level.max_kmh, units)}–${paceText(level.min_kmh, units)} /${distanceUnit(units, locale)}`;
  }
  const number = (kmh: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(perUnit(kmh, units));
  return `${number(level.min_kmh)}–${number(level.max_kmh)} ${speedUnit(units, locale)}`;
}

/** A level to start from for a sport nobody suggested: an easy to steady range. */
export function defaultLevel(sport: string): SportLevel {
  if (usesPace(sport)) {
    return sport === 'walking' || sport === 'hiking'
      ? { sport, min_kmh: 4, max_kmh: 6 }
      : { sport, min_kmh: 9, max_kmh: 12 };
  }
  if (sport === 'swimming') return { sport, min_kmh: 2, max_kmh: 4 };
  if (sport === 'rowing') return { sport, min_kmh: 8, max_kmh: 12 };
  if (sport === 'mountain-biking') return { sport, min_kmh: 12, max_kmh: 20 };
  return { sport, min_kmh: 20, max_kmh: 28 };
}
