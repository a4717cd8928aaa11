/** Dates in the reader's language; times on the device's own clock. */

export function formatDay(iso: string, locale: string): string {
  return new Date(iso).toLocaleDateString(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

export function formatDateTime(iso: string | number, locale: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `2026-11-25T07:30` for an `<input type="datetime-local">`, on the device's clock. */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The value of a datetime-local input as RFC 3339 with the device's offset. */
export function localInputToRfc3339(value: string): string {
  const date = new Date(value);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A calendar day of the API (`2026-11-25`) in the reader's words, on the calendar as written. */
export function formatCalendarDay(day: string, locale: string): string {
  return new Date(`${day.slice(0, 10)}T00:00:00`).toLocaleDateString(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

/** Today on the device's calendar, as `2026-11-25` (for `<input type="date">`). */
export function today(): string {
  return localInputValue(new Date()).slice(0, 10);
}
