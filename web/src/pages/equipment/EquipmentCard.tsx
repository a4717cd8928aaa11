import { Link } from 'wouter';
import type { ListedEquipment } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import { useI18n } from '../../i18n';
import { formatCalendarDay } from '../../lib/dates';
import { formatDuration, formatElevation } from '../../lib/units';
import { EquipmentPhoto } from './EquipmentPhoto';
import { WearBar } from './WearBar';

/** One item in the list: what it is, how worn, how much it did. */
export function EquipmentCard({ item }: { item: ListedEquipment }) {
  const { t, plural, locale } = useI18n();
  const units = useUnits();
  const made = `${item.brand} ${item.model}`.trim();
  const heading = (
    <>
      <EquipmentPhoto item={item} />
      <span>
        <span className="title">{item.name}</span>
        <span className="meta">
          {t(`equipment.kind.${item.kind}`)}
          {made && made !== item.name ? ` · ${made}` : ''}
        </span>
      </span>
    </>
  );
  return (
    <li className="card equipment-card" data-testid="equipment-card">
      <Link href={`/equipment/${item.id}`} className="equipment-heading">
        {heading}
      </Link>
      <WearBar
        label={t('equipment.wearOf', { name: item.name })}
        distance_m={item.usage.distance_m}
        threshold_m={item.threshold_m}
      />
      <p className="equipment-numbers small muted">
        <span>{plural('equipment.trainings', item.usage.trainings)}</span>
        <span>{formatDuration(item.usage.moving_s)}</span>
        <span>{formatElevation(item.usage.elevation_m, units, locale)}</span>
      </p>
      {item.refused ? (
        <p className="small badge refused" role="status">
          {t('sync.markRefused')}
        </p>
      ) : (
        item.waiting && (
          <p className="small badge" role="status">
            {t('equipment.waiting')}
          </p>
        )
      )}
      {item.retired_on && (
        <p className="small muted">
          {t('equipment.retiredOn', { day: formatCalendarDay(item.retired_on, locale) })}
        </p>
      )}
    </li>
  );
}
