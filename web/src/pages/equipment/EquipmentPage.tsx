import { Link } from 'wouter';
import { useEquipmentItem } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { Equipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatCalendarDay } from '../../lib/dates';
import { useOnline } from '../../lib/online';
import { formatDistance, formatDuration, formatElevation } from '../../lib/units';
import { describe, Loading } from '../../ui/forms';
import { OnlineOnly } from '../../ui/OnlineOnly';
import { useSportName } from '../workouts/sportName';
import { EquipmentPhoto } from './EquipmentPhoto';
import { ItemActions } from './ItemActions';
import { Parts } from './Parts';
import { PhotoEditor } from './PhotoEditor';
import { UsageChart } from './UsageChart';
import { WearBar } from './WearBar';

function Totals({ item }: { item: Equipment }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const tiles: [string, string][] = [
    [t('stats.distance'), formatDistance(item.usage.distance_m, units, locale)],
    [t('stats.workouts'), String(item.usage.trainings)],
    [t('workout.moving'), formatDuration(item.usage.moving_s)],
    [t('stats.climb'), formatElevation(item.usage.elevation_m, units, locale)],
  ];
  return (
    <div className="tiles">
      {tiles.map(([label, value]) => (
        <div className="tile" key={label}>
          <div className="label">{label}</div>
          <div className="value">{value}</div>
        </div>
      ))}
    </div>
  );
}

/** What the person wrote about the item: bought when and for how much, for which sports, notes. */
function Facts({ item }: { item: Equipment }) {
  const { t, locale } = useI18n();
  const sportName = useSportName();
  const sports = (ids: string[]) => ids.map(sportName).join(', ');
  const price =
    item.price != null
      ? item.currency
        ? new Intl.NumberFormat(locale, { style: 'currency', currency: item.currency }).format(item.price)
        : new Intl.NumberFormat(locale).format(item.price)
      : null;
  const facts: [string, string | null | undefined][] = [
    [t('equipment.field.purchasedOn'), item.purchased_on && formatCalendarDay(item.purchased_on, locale)],
    [t('equipment.field.price'), price],
    [t('equipment.field.sports'), item.sports.length ? sports(item.sports) : null],
    [t('equipment.field.defaultFor'), item.default_for.length ? sports(item.default_for) : null],
    [
      t('equipment.firstUsed'),
      item.usage.first_used_at && formatCalendarDay(item.usage.first_used_at, locale),
    ],
    [t('equipment.lastUsed'), item.usage.last_used_at && formatCalendarDay(item.usage.last_used_at, locale)],
  ];
  const shown = facts.filter(([, value]) => value);
  if (shown.length === 0 && !item.notes) return null;
  return (
    <>
      <dl className="facts">
        {shown.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {item.notes && <p style={{ whiteSpace: 'pre-wrap' }}>{item.notes}</p>}
    </>
  );
}

/** One item: its wear, what it did and when, its parts, and what can be done with it. */
export default function EquipmentPage({ id }: { id: string }) {
  const { t, language, locale } = useI18n();
  const online = useOnline();
  const equipment = useEquipmentItem(id);
  const item = equipment.item;

  if (!item && equipment.isPending) return <Loading />;
  if (!item) {
    if (equipment.deleted) {
      return (
        <p className="muted">
          {t('sync.deletedHere')} <Link href="/equipment">{t('equipment.back')}</Link>
        </p>
      );
    }
    if (!online && !equipment.error) return <OnlineOnly text={t('sync.itemOffline')} />;
    return <div className="alert">{describe(equipment.error, t, language === 'en')}</div>;
  }
  // Parts, the photo and the monthly use live on the server, behind routes of their own.
  const serverParts = online && item.onServer;
  const made = `${item.brand} ${item.model}`.trim();

  return (
    <article>
      <p className="small">
        <Link href="/equipment">{t('equipment.back')}</Link>
      </p>
      <div className="equipment-top">
        <EquipmentPhoto item={item} large />
        <div>
          <h1>{item.name}</h1>
          <p className="muted">
            {t(`equipment.kind.${item.kind}`)}
            {made && made !== item.name ? ` · ${made}` : ''}
          </p>
          {item.retired_on && (
            <p className="notice">
              {t('equipment.retiredOn', { day: formatCalendarDay(item.retired_on, locale) })}
            </p>
          )}
          {item.refused ? (
            <p className="alert" role="alert">
              {t('sync.refusedHere', {
                reason: item.refused.detail || item.refused.title || item.refused.type,
              })}
            </p>
          ) : (
            item.waiting && (
              <p className="small badge" role="status">
                {t('equipment.waiting')}
              </p>
            )
          )}
        </div>
      </div>
      <WearBar
        label={t('equipment.wearOf', { name: item.name })}
        distance_m={item.usage.distance_m}
        threshold_m={item.threshold_m}
      />
      <Totals item={item} />
      <Facts item={item} />
      {serverParts ? (
        <>
          <UsageChart id={item.id} />
          <Parts item={item} />
          <section aria-labelledby="photo-title">
            <h2 id="photo-title">{t('equipment.photo')}</h2>
            <PhotoEditor item={item} />
          </section>
        </>
      ) : (
        <OnlineOnly text={online ? t('sync.partsAfterSend') : t('sync.partsOffline')} />
      )}
      <ItemActions item={item} />
    </article>
  );
}
