/** Numbers as a person reads them, in their units: metric or imperial. */
import type { Units } from '../api/types';

const METRES_PER_MILE = 1609.344;
const FEET_PER_METRE = 3.28084;
const KILOGRAMS_PER_POUND = 0.45359237;

/** Sports whose speed reads better as a pace (time per km or mile). */
const PACE_SPORTS = new Set(['running', 'trail-running', 'walking', 'hiking']);

export function usesPace(sport: string): boolean {
  return PACE_SPORTS.has(sport);
}

type Unit =
  | 'kilometer'
  | 'mile'
  | 'meter'
  | 'foot'
  | 'kilometer-per-hour'
  | 'mile-per-hour'
  | 'kilogram'
  | 'pound';

/** A number with its unit in the reader's language ("10,00 км", "6.21 mi"), by Intl. */
function withUnit(value: number, unit: Unit, locale: string, digits: number): string {
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** The short name of a unit alone ("km", "км", "mi"), for labels and axes. */
export function unitLabel(unit: Unit, locale: string): string {
  const parts = new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).formatToParts(1);
  return parts.find((part) => part.type === 'unit')?.value ?? unit;
}

export function distanceUnit(units: Units, locale = 'en'): string {
  return unitLabel(units === 'imperial' ? 'mile' : 'kilometer', locale);
}

export function elevationUnit(units: Units, locale = 'en'): string {
  return unitLabel(units === 'imperial' ? 'foot' : 'meter', locale);
}

export function speedUnit(units: Units, locale = 'en'): string {
  return unitLabel(units === 'imperial' ? 'mile-per-hour' : 'kilometer-per-hour', locale);
}

export function weightUnit(units: Units, locale = 'en'): string {
  return unitLabel(units === 'imperial' ? 'pound' : 'kilogram', locale);
}

/** A body weight in kilograms, in the reader's unit. */
export function weightValue(kilograms: number, units: Units): number {
  return units === 'imperial' ? kilograms / KILOGRAMS_PER_POUND : kilograms;
}

/** A body weight typed in the reader's unit, in kilograms. */
export function weightToKilograms(value: number, units: Units): number {
  return units === 'imperial' ? value * KILOGRAMS_PER_POUND : value;
}

/** `digits` after the point: by default 2 below 100 and 1 above. */
export function formatDistance(
  metres: number | null | undefined,
  units: Units,
  locale: string,
  digits?: number,
): string {
  if (metres == null) return '—';
  const value = units === 'imperial' ? metres / METRES_PER_MILE : metres / 1000;
  return withUnit(
    value,
    units === 'imperial' ? 'mile' : 'kilometer',
    locale,
    digits ?? (value < 100 ? 2 : 1),
  );
}

export function formatElevation(metres: number | null | undefined, units: Units, locale: string): string {
  if (metres == null) return '—';
  const value = units === 'imperial' ? metres * FEET_PER_METRE : metres;
  return withUnit(Math.round(value), units === 'imperial' ? 'foot' : 'meter', locale, 0);
}

export function elevationValue(metres: number, units: Units): number {
  return units === 'imperial' ? metres * FEET_PER_METRE : metres;
}

/** `1:02:03` or `42:05`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Seconds per km (or mile) from metres per second. */
export function paceSeconds(mps: number, units: Units): number {
  const metres = units === 'imperial' ? METRES_PER_MILE : 1000;
  return metres / mps;
}

export function formatPace(mps: number | null | undefined, units: Units, locale = 'en'): string {
  if (!mps || mps <= 0) return '—';
  return `${formatDuration(paceSeconds(mps, units))} /${distanceUnit(units, locale)}`;
}

export function speedValue(mps: number, units: Units): number {
  return units === 'imperial' ? (mps * 3600) / METRES_PER_MILE : mps * 3.6;
}

export function formatSpeed(mps: number | null | undefined, units: Units, locale: string): string {
  if (!mps || mps <= 0) return '—';
  return withUnit(
    speedValue(mps, units),
    units === 'imperial' ? 'mile-per-hour' : 'kilometer-per-hour',
    locale,
    1,
  );
}

/** A distance typed by a person in their unit, in metres. */
export function toMetres(value: number, units: Units): number {
  return units === 'imperial' ? value * METRES_PER_MILE : value * 1000;
}

export function elevationToMetres(value: number, units: Units): number {
  return units === 'imperial' ? value / FEET_PER_METRE : value;
}

/** The key naming a best-effort distance (400 m … marathon), for the translation layer. */
export function effortKey(metres: number): string {
  const known: [number, string][] = [
    [400, 'effort.400m'],
    [1000, 'effort.1k'],
    [1609, 'effort.mile'],
    [5000, 'effort.5k'],
    [10000, 'effort.10k'],
    [21097, 'effort.half'],
    [42195, 'effort.marathon'],
  ];
  return known.find(([m]) => Math.abs(m - metres) < 2)?.[1] ?? 'effort.other';
}
