import type { RouteShape } from '../api/types';
import { sketchRoute } from '../lib/routeSketch';

const WIDTH = 120;
const HEIGHT = 80;

/** A small drawing of a route, with no map under it; nothing when there is no track. */
export function RouteSketch({ shape, label }: { shape: RouteShape; label: string }) {
  const sketch = sketchRoute(shape, WIDTH, HEIGHT);
  if (!sketch) return null;
  return (
    <svg className="route-sketch" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {sketch.lines.map((points) => (
        <polyline key={points} points={points} />
      ))}
    </svg>
  );
}
