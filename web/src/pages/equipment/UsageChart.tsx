import { useMonthlyUsage } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { MonthlyUsage } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDistance, formatDuration } from '../../lib/units';

const MONTHS = 12;

function monthDate(month: string): Date {
  return new Date(`${month}-01T00:00:00`);
}

/**
 * The item's use in each of the last twelve months, as bars: by distance, or
 * by time for equipment used without one (a watch at the gym).
 */
export function UsageChart({ id }: { id: string }) {
  const { t, plural, locale } = useI18n();
  const units = useUnits();
  const usage = useMonthlyUsage(id, MONTHS);
  const months = usage.data ?? [];
  if (months.length === 0) return null;

  const byDistance = months.some((month) => month.distance_m > 0);
  const amount = (month: MonthlyUsage) => (byDistance ? month.distance_m : month.moving_s);
  const most = Math.max(0, ...months.map(amount));
  const height = (month: MonthlyUsage) => (most > 0 ? (amount(month) / most) * 100 : 0);
  const said = (month: MonthlyUsage) =>
    `${monthDate(month.month).toLocaleDateString(locale, { month: 'long', year: 'numeric' })}: ${
      byDistance ? formatDistance(month.distance_m, units, locale) : formatDuration(month.moving_s)
    }, ${plural('equipment.trainings', month.trainings)}`;

  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">{t('equipment.monthly')}</h2>
      {most > 0 && (
        <ol className="usage-chart card" data-testid="usage-chart">
          {months.map((month) => (
            <li key={month.month} title={said(month)}>
              <span className="visually-hidden">{said(month)}</span>
              <span className="usage-column" aria-hidden="true">
                <span className="usage-bar" style={{ height: `${height(month)}%` }} />
              </span>
              <span className="usage-month" aria-hidden="true">
                <span className="wide-only">
                  {monthDate(month.month).toLocaleDateString(locale, { month: 'short' })}
                </span>
                <span className="narrow-only">
                  {monthDate(month.month).toLocaleDateString(locale, { month: 'narrow' })}
                </span>
              </span>
            </li>
          ))}
        </ol>
      )}
      <p className="small muted">
        {most === 0
          ? t('equipment.monthlyNone')
          : t('equipment.monthlyMost', {
              value: byDistance ? formatDistance(most, units, locale) : formatDuration(most),
            })}
      </p>
    </section>
  );
}
