/**
 * The hybrid logical clock of docs/sync.md: `<wall ms, 15 digits>-<counter,
 * 5 digits>-<device>`, compared as strings. A change stamped after this
 * device has seen another clock is always later than it, even when the
 * device's own wall clock is behind: the clock never goes back, and it moves
 * past every clock the server answers with.
 */

export interface ClockState {
  /** Milliseconds since 1970: the larger of the device's time and every clock seen. */
  wall: number;
  counter: number;
}

const MAX_COUNTER = 99_999;
const DEVICE = /^[a-z0-9]{1,32}$/;
const CLOCK = /^(\d{15})-(\d{5})-([a-z0-9]{1,32})$/;

export function formatClock(state: ClockState, device: string): string {
  return `${String(state.wall).padStart(15, '0')}-${String(state.counter).padStart(5, '0')}-${device}`;
}

export function parseClock(clock: string): (ClockState & { device: string }) | null {
  const found = CLOCK.exec(clock);
  if (!found) return null;
  return { wall: Number(found[1]), counter: Number(found[2]), device: found[3] ?? '' };
}

/** Whether `a` is later than `b` (wall first, then counter). */
function later(a: ClockState, b: ClockState): boolean {
  return a.wall > b.wall || (a.wall === b.wall && a.counter > b.counter);
}

/** The stamp for a change made now: past the last stamp and every clock seen. */
export function tick(state: ClockState, now: number): ClockState {
  const wall = Math.max(state.wall, now);
  const counter = wall === state.wall ? state.counter + 1 : 0;
  // Out of counter within one millisecond: the next millisecond, still ahead of everything seen.
  return counter > MAX_COUNTER ? { wall: wall + 1, counter: 0 } : { wall, counter };
}

/** The state after hearing `clock` (an answer's, or a mutation's): never behind it. */
export function receive(state: ClockState, clock: string | undefined | null): ClockState {
  const seen = clock ? parseClock(clock) : null;
  return seen && later(seen, state) ? { wall: seen.wall, counter: seen.counter } : state;
}

/** A device id: 16 of [a-z0-9], random, kept for good by the device. */
export function newDeviceId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const id = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join('');
  return DEVICE.test(id) ? id : 'web';
}
