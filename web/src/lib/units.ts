/** Numbers as a person reads them, in their units: metric or imperial. */
import type { Units } from '../api/types';

const METRES_PER_MILE = 1609.344;
const FEET_PER_METRE = 3.28084;

/** Sports whose speed reads better as a pace (time per km or mile). */
const PACE_SPORTS = new Set(['running', 'trail-running', 'walking', 'hiking']);

export function usesPace(sport: string): boolean {
  return PACE_SPORTS.has(sport);
}

export function distanceUnit(units: Units): string {
  return units === 'imperial' ? 'mi' : 'km';
}

export function formatDistance(metres: number | null | undefined, units: Units, locale: string): string {
  if (metres == null) return '—';
  const value = units === 'imperial' ? metres / METRES_PER_MILE : metres / 1000;
  const digits = value < 100 ? 2 : 1;
  return `${value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${distanceUnit(units)}`;
}

export function formatElevation(metres: number | null | undefined, units: Units, locale: string): string {
  if (metres == null) return '—';
  const value = units === 'imperial' ? metres * FEET_PER_METRE : metres;
  return `${Math.round(value).toLocaleString(locale)} ${units === 'imperial' ? 'ft' : 'm'}`;
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

export function formatPace(mps: number | null | undefined, units: Units): string {
  if (!mps || mps <= 0) return '—';
  return `${formatDuration(paceSeconds(mps, units))} /${distanceUnit(units)}`;
}

export function speedValue(mps: number, units: Units): number {
  return units === 'imperial' ? (mps * 3600) / METRES_PER_MILE : mps * 3.6;
}

export function formatSpeed(mps: number | null | undefined, units: Units, locale: string): string {
  if (!mps || mps <= 0) return '—';
  const unit = units === 'imperial' ? 'mph' : 'km/h';
  return `${speedValue(mps, units).toLocaleString(locale, { maximumFractionDigits: 1 })} ${unit}`;
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
