import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { useServer } from '../../api/queries';
import { useT } from '../../i18n';

/**
 * The track on a map. Tiles come from the server's ATHLOS_MAP_TILES; without
 * them (an offline club server) the track still draws, on a plain background.
 */
/** The shape's stretches: a null between two of a file's segments starts a new one. */
function stretches(shape: ([number, number] | null)[]): [number, number][][] {
  const parts: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const point of shape) {
    if (point) {
      current.push(point);
    } else {
      parts.push(current);
      current = [];
    }
  }
  parts.push(current);
  return parts.filter((part) => part.length > 0);
}

export default function WorkoutMap({ shape }: { shape: ([number, number] | null)[] }) {
  const t = useT();
  const element = useRef<HTMLDivElement>(null);
  const server = useServer();
  const tiles = server.data?.map_tiles;
  const attribution = server.data?.map_attribution ?? '';

  useEffect(() => {
    if (!element.current || !shape.some(Boolean) || server.isPending) return;
    const map = L.map(element.current, { zoomSnap: 0.25, attributionControl: Boolean(tiles) });
    if (tiles) L.tileLayer(tiles, { attribution, maxZoom: 18 }).addTo(map);
    const accent =
      getComputedStyle(document.documentElement).getPropertyValue('--chart-2').trim() || '#d9480f';
    const parts = stretches(shape);
    const line = L.polyline(parts, { color: accent, weight: 4 }).addTo(map);
    const first = parts[0]?.[0];
    const lastPart = parts[parts.length - 1];
    const last = lastPart?.[lastPart.length - 1];
    if (first) L.circleMarker(first, { radius: 6, color: '#0d7a5f', fillOpacity: 1 }).addTo(map);
    if (last) L.circleMarker(last, { radius: 6, color: '#b3261e', fillOpacity: 1 }).addTo(map);
    map.fitBounds(line.getBounds(), { padding: [16, 16], animate: false });
    // A phone turned, a window resized: the track is fitted to the new size.
    const resize = new ResizeObserver(() => {
      map.invalidateSize();
      map.fitBounds(line.getBounds(), { padding: [16, 16], animate: false });
    });
    resize.observe(element.current);
    return () => {
      resize.disconnect();
      map.remove();
    };
  }, [shape, tiles, attribution, server.isPending]);

  return (
    <div ref={element} className="map" role="img" aria-label={t('workout.mapLabel')} data-testid="map" />
  );
}
