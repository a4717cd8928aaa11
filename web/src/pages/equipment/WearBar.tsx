import { useUnits } from '../../api/queries';
import { useI18n } from '../../i18n';
import { wear } from '../../lib/equipment';
import { formatDistance } from '../../lib/units';

interface Props {
  /** What the bar measures, for screen readers ("Blue ones: wear"). */
  label: string;
  distance_m: number;
  threshold_m?: number | null;
}

/** The distance done against the threshold: green, amber from 80 %, red at 100 % and beyond. */
export function WearBar({ label, distance_m, threshold_m }: Props) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const done = formatDistance(distance_m, units, locale);
  if (!threshold_m) {
    return (
      <p className="wear-text small">
        <span data-testid="distance">{done}</span>
        <span className="muted">{t('equipment.noThreshold')}</span>
      </p>
    );
  }
  const worn = distance_m / threshold_m;
  const percent = new Intl.NumberFormat(locale, { style: 'percent' }).format(worn);
  const of = t('equipment.distanceOf', { done, limit: formatDistance(threshold_m, units, locale, 0) });
  return (
    <div className="wear" data-wear={wear(worn)}>
      <p className="wear-text small">
        <span data-testid="distance">{of}</span>
        <span className="wear-percent">{percent}</span>
      </p>
      {/* Coloured by the browser from its regions: below `low` fine, up to `high` near, at `max` over. */}
      <meter
        className="wear-bar"
        aria-label={label}
        aria-valuetext={`${of} (${percent})`}
        min={0}
        max={1}
        low={0.8}
        high={0.999}
        optimum={0}
        value={Math.min(1, worn)}
      />
    </div>
  );
}
