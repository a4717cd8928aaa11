import { useUnits } from '../../api/queries';
import type { ProfileTotals as Totals } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDistance, formatDuration } from '../../lib/units';

/** How much of someone's training the viewer may see: how many, how far, how long. */
export function ProfileTotals({ totals }: { totals: Totals }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  return (
    <div className="tiles profile-totals">
      <div className="tile">
        <div className="label">{t('stats.workouts')}</div>
        <div className="value">{totals.trainings}</div>
      </div>
      <div className="tile">
        <div className="label">{t('stats.distance')}</div>
        <div className="value">{formatDistance(totals.distance_m, units, locale)}</div>
      </div>
      <div className="tile">
        <div className="label">{t('stats.time')}</div>
        <div className="value">{formatDuration(totals.duration_s)}</div>
      </div>
    </div>
  );
}
