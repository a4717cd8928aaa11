/**
 * A route's shape as lines to draw: `[lat, lon]` points projected flat
 * (longitude shrunk by the cosine of the latitude, so a square stays
 * square), fitted into a box with its proportions kept, north up.
 */
import type { RouteShape } from '../api/types';

export interface Sketch {
  /** One `points` attribute per segment of the route. */
  lines: string[];
  width: number;
  height: number;
}

/** Fits the route into `width` × `height` less `margin` on each side; null when there is nothing to draw. */
export function sketchRoute(shape: RouteShape, width: number, height: number, margin = 4): Sketch | null {
  const points = shape.filter((point): point is [number, number] => point !== null);
  if (points.length < 2) return null;
  const lats = points.map(([lat]) => lat);
  const middle = ((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180);
  const flat = (lat: number, lon: number): [number, number] => [lon * Math.cos(middle), -lat];
  const xs = points.map(([lat, lon]) => flat(lat, lon)[0]);
  const ys = points.map(([lat, lon]) => flat(lat, lon)[1]);
  const [left, top] = [Math.min(...xs), Math.min(...ys)];
  const spanX = Math.max(...xs) - left;
  const spanY = Math.max(...ys) - top;
  const scale = Math.min((width - 2 * margin) / (spanX || 1e-9), (height - 2 * margin) / (spanY || 1e-9));
  // Centred in the box whichever way it is longer.
  const offsetX = (width - spanX * scale) / 2;
  const offsetY = (height - spanY * scale) / 2;
  const lines: string[] = [];
  let current: string[] = [];
  for (const point of shape) {
    if (point === null) {
      if (current.length > 1) lines.push(current.join(' '));
      current = [];
      continue;
    }
    const [x, y] = flat(point[0], point[1]);
    current.push(`${((x - left) * scale + offsetX).toFixed(1)},${((y - top) * scale + offsetY).toFixed(1)}`);
  }
  if (current.length > 1) lines.push(current.join(' '));
  return { lines, width, height };
}
