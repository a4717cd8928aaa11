import 'uplot/dist/uPlot.min.css';
import { useEffect, useId, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { useUnits } from '../../api/queries';
import type { Sample, Units } from '../../api/types';
import { type Translate, useI18n } from '../../i18n';
import {
  distanceUnit,
  elevationUnit,
  elevationValue,
  formatDuration,
  paceSeconds,
  speedUnit,
  speedValue,
  usesPace,
} from '../../lib/units';

interface Series {
  title: string;
  unit: string;
  colour: string;
  /** Undefined where a sample lacks the value (the line goes on over it), null
   * between two of a file's segments (the line breaks). */
  values: (number | null | undefined)[];
  /** Pace reads better upside down: faster is higher. */
  invert?: boolean;
  /** A tick's label on the axis. */
  format?: (value: number) => string;
  /** The value under the cursor, with its unit. */
  readout: (value: number) => string;
  /** Tick steps the axis may use (seconds for a pace: whole minutes and their parts). */
  incrs?: number[];
  /** The top of the axis at most this many times the median (see `visibleRange`). */
  slowest?: number;
}

/** Steps for an axis of mm:ss: 5, 10, 15, 20, 30 s, then whole minutes. */
export const PACE_STEPS = [5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1800];

/**
 * The y range from the 2nd to the 98th percentile, with a margin: one GPS
 * jump (a 180 km/h "sprint") must not flatten the whole line. `slowest`
 * caps the top at that many times the median: a pace's stops and walks
 * (20 min/km) would otherwise squeeze a run at 5 min/km into a sliver.
 */
function visibleRange(values: (number | null | undefined)[], slowest?: number): [number, number] {
  const sorted = values.filter((v): v is number => v != null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return [0, 1];
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const low = at(0.02);
  const high = slowest ? Math.min(at(0.98), at(0.5) * slowest) : at(0.98);
  const margin = Math.max((high - low) * 0.15, 1);
  return [low - margin, high + margin];
}

function Chart({
  x,
  series,
  xLabel,
  sync,
  distanceAt,
}: {
  x: number[];
  series: Series;
  xLabel: string;
  sync: string;
  distanceAt: (value: number) => string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const readout = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    const target = element.current;
    if (!target) return;
    const colour = getComputedStyle(document.documentElement).getPropertyValue(series.colour).trim();
    const muted = getComputedStyle(document.documentElement).getPropertyValue('--muted').trim();
    const axis = { stroke: muted, grid: { stroke: 'rgba(128,128,128,0.15)' }, ticks: { show: false } };
    // Written straight to the element: a React render on every mouse move would be wasted.
    const show = (index: number | null | undefined) => {
      if (!readout.current) return;
      const value = index == null ? null : series.values[index];
      const at = index == null ? undefined : x[index];
      readout.current.textContent =
        value == null || at == null ? '' : `${distanceAt(at)} · ${series.readout(value)}`;
    };
    const plot = new uPlot(
      {
        width: target.clientWidth,
        height: 160,
        legend: { show: false },
        // One cursor for the elevation, pace and heart-rate charts of a workout.
        cursor: { drag: { x: false, y: false }, sync: { key: sync, setSeries: false } },
        scales: {
          x: { time: false },
          y: { dir: series.invert ? -1 : 1, range: () => visibleRange(series.values, series.slowest) },
        },
        axes: [
          { ...axis, label: xLabel, labelSize: 18, size: 36 },
          {
            ...axis,
            size: 52,
            incrs: series.incrs,
            values: (_u, ticks) => {
              const labels = ticks.map((v) => (series.format ? series.format(v) : String(Math.round(v))));
              // What the axis shows, for the browser journeys (the canvas hides it).
              target.dataset.ticks = labels.join(' ');
              return labels;
            },
          },
        ],
        series: [{}, { stroke: colour, width: 2, fill: `${colour}22`, spanGaps: false }],
        hooks: { setCursor: [(u) => show(u.cursor.idx)] },
      },
      [x, series.values],
      target,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: 160 }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, xLabel, sync, distanceAt]);

  return (
    <figure className="chart" style={{ margin: 0 }}>
      <h3>
        {series.title} <span className="muted small">({series.unit})</span>{' '}
        <span ref={readout} className="readout" data-testid="readout" aria-live="off" />
      </h3>
      <div ref={element} role="img" aria-label={series.title} />
    </figure>
  );
}

/** A value of each sample: null at a segment break, undefined where the sample lacks it. */
function valuesOf(samples: (Sample | null)[], pick: (s: Sample) => number | null | undefined) {
  return samples.map((s) => (s == null ? null : (pick(s) ?? undefined)));
}

function build(
  samples: (Sample | null)[],
  sport: string,
  units: Units,
  t: Translate,
  locale: string,
): Series[] {
  const charts: Series[] = [];
  const has = (pick: (s: Sample) => unknown) => samples.some((s) => s != null && pick(s) != null);
  if (has((s) => s.elevation_m)) {
    charts.push({
      title: t('workout.elevation'),
      unit: elevationUnit(units, locale),
      colour: '--chart-1',
      readout: (v) => `${Math.round(v)} ${elevationUnit(units, locale)}`,
      values: valuesOf(samples, (s) => (s.elevation_m == null ? null : elevationValue(s.elevation_m, units))),
    });
  }
  if (has((s) => s.speed_mps)) {
    const pace = usesPace(sport);
    charts.push({
      title: pace ? t('workout.pace') : t('workout.speed'),
      unit: pace ? `${t('unit.min')}/${distanceUnit(units, locale)}` : speedUnit(units, locale),
      colour: '--chart-2',
      invert: pace,
      format: pace ? (v) => formatDuration(v) : undefined,
      incrs: pace ? PACE_STEPS : undefined,
      slowest: pace ? 1.5 : undefined,
      readout: pace
        ? (v) => `${formatDuration(v)} /${distanceUnit(units, locale)}`
        : (v) => `${v.toFixed(1)} ${speedUnit(units, locale)}`,
      values: valuesOf(samples, (s) => {
        if (!s.speed_mps || s.speed_mps < 0.3) return null;
        return pace ? Math.min(paceSeconds(s.speed_mps, units), 30 * 60) : speedValue(s.speed_mps, units);
      }),
    });
  }
  if (has((s) => s.heart_rate)) {
    charts.push({
      title: t('workout.heartRate'),
      unit: t('unit.bpm'),
      colour: '--chart-3',
      readout: (v) => `${Math.round(v)} ${t('unit.bpm')}`,
      values: valuesOf(samples, (s) => s.heart_rate),
    });
  }
  return charts;
}

/** Elevation, pace or speed, and heart rate along the distance. */
/** The distance of each sample; a segment break sits where the segment before it ended. */
function distances(samples: (Sample | null)[], perUnit: number): number[] {
  let last = 0;
  return samples.map((s) => {
    if (s != null) last = s.distance_m / perUnit;
    return last;
  });
}

export default function WorkoutCharts({ samples, sport }: { samples: (Sample | null)[]; sport: string }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const perUnit = units === 'imperial' ? 1609.344 : 1000;
  const x = useMemo(() => distances(samples, perUnit), [samples, perUnit]);
  const charts = useMemo(() => build(samples, sport, units, t, locale), [samples, sport, units, t, locale]);
  const xLabel = distanceUnit(units, locale);
  const sync = useId();
  const distanceAt = useMemo(() => (value: number) => `${value.toFixed(2)} ${xLabel}`, [xLabel]);
  return (
    <div data-testid="charts">
      {charts.map((series) => (
        <Chart key={series.title} x={x} series={series} xLabel={xLabel} sync={sync} distanceAt={distanceAt} />
      ))}
    </div>
  );
}
