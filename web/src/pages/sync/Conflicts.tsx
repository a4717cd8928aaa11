import { useEquipmentList } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { Privacy } from '../../api/types';
import { type Key, useI18n } from '../../i18n';
import { formatCalendarDay, formatDateTime } from '../../lib/dates';
import { formatDistance, formatDuration, formatElevation } from '../../lib/units';
import { resolveConflict } from '../../offline/conflicts';
import { useSnapshot } from '../../offline/local';
import type { Conflict } from '../../offline/protocol';
import { useViews } from '../../offline/views';
import { useSportName } from '../workouts/sportName';

const FIELD_NAMES: Record<string, Key> = {
  sport: 'field.sport',
  title: 'field.title',
  notes: 'field.notes',
  privacy: 'field.privacy',
  equipment_ids: 'sync.field.equipment',
  started_at: 'field.start',
  duration_s: 'field.duration',
  distance_m: 'sync.field.distance',
  elevation_gain_m: 'sync.field.climb',
  kind: 'equipment.field.kind',
  brand: 'equipment.field.brand',
  model: 'equipment.field.model',
  nickname: 'equipment.field.nickname',
  purchased_on: 'equipment.field.purchasedOn',
  price: 'equipment.field.price',
  currency: 'equipment.field.currency',
  sports: 'equipment.field.sports',
  default_for: 'equipment.field.defaultFor',
  threshold_m: 'sync.field.threshold',
};

/** A field's value in words: a sport's name, a time, a distance in the person's units, the items' names. */
function useShowValue() {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sportName = useSportName();
  const items = useEquipmentList('all').items ?? [];
  return (field: string, value: unknown): string => {
    if (value == null || value === '' || (Array.isArray(value) && value.length === 0))
      return t('sync.conflict.empty');
    switch (field) {
      case 'sport':
        return sportName(String(value));
      case 'sports':
      case 'default_for':
        return (value as string[]).map(sportName).join(', ');
      case 'privacy':
        return t(`privacy.${value as Privacy}`);
      case 'kind':
        return t(`equipment.kind.${value}` as Key);
      case 'equipment_ids':
        return (value as string[]).map((id) => items.find((item) => item.id === id)?.name ?? '?').join(', ');
      case 'started_at':
        return formatDateTime(String(value), locale);
      case 'purchased_on':
        return formatCalendarDay(String(value), locale);
      case 'duration_s':
        return formatDuration(Number(value));
      case 'distance_m':
      case 'threshold_m':
        return formatDistance(Number(value), units, locale);
      case 'elevation_gain_m':
        return formatElevation(Number(value), units, locale);
      default:
        return `“${String(value)}”`;
    }
  };
}

/** The record's name as it is now (the change that won may have renamed it). */
function useRecordName(conflict: Conflict): string {
  const { t } = useI18n();
  const sportName = useSportName();
  const { workouts, equipment } = useViews();
  if (conflict.entity === 'workout') {
    const workout = workouts.get(conflict.entity_id);
    if (workout) return workout.title || sportName(workout.sport);
  } else {
    const item = equipment.get(conflict.entity_id);
    if (item) return item.name;
  }
  return conflict.label || t('outbox.untitled');
}

function ConflictCard({ conflict }: { conflict: Conflict }) {
  const { t } = useI18n();
  const show = useShowValue();
  const name = useRecordName(conflict);
  if (conflict.deleteKept) {
    return (
      <section
        className="card conflict"
        data-testid="conflict"
        aria-label={t('sync.conflict.deleteTitle', { name })}
      >
        <h2>{t('sync.conflict.deleteTitle', { name })}</h2>
        <p className="small">{t('sync.conflict.deleteText')}</p>
        <div className="actions compact">
          <button
            type="button"
            className="secondary small-button"
            onClick={() => resolveConflict(conflict, 'theirs')}
          >
            {t('sync.conflict.keepIt')}
          </button>
          <button
            type="button"
            className="danger small-button"
            onClick={() => resolveConflict(conflict, 'mine')}
          >
            {t('sync.conflict.deleteAnyway')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <section className="card conflict" data-testid="conflict" aria-label={t('sync.conflict.title', { name })}>
      <h2>{t('sync.conflict.title', { name })}</h2>
      <p className="small">{t('sync.conflict.text')}</p>
      <dl className="conflict-fields small">
        {Object.keys(conflict.mine).map((field) => (
          <div key={field}>
            <dt>{FIELD_NAMES[field] ? t(FIELD_NAMES[field]) : field}</dt>
            <dd>
              {t('sync.conflict.yours')} <strong>{show(field, conflict.mine[field])}</strong>
              <br />
              {t('sync.conflict.kept')} <strong>{show(field, conflict.theirs[field])}</strong>
            </dd>
          </div>
        ))}
      </dl>
      <div className="actions compact">
        <button type="button" className="small-button" onClick={() => resolveConflict(conflict, 'mine')}>
          {t('sync.conflict.keepMine')}
        </button>
        <button
          type="button"
          className="secondary small-button"
          onClick={() => resolveConflict(conflict, 'theirs')}
        >
          {t('sync.conflict.keepTheirs')}
        </button>
      </div>
    </section>
  );
}

/**
 * Changes of this device that lost to a later one from elsewhere, on a field
 * the person had changed: asked without blocking anything, above the screen,
 * until they choose.
 */
export function Conflicts() {
  const { conflicts } = useSnapshot();
  if (conflicts.length === 0) return null;
  return (
    <div className="conflicts" role="status">
      {conflicts.map((conflict) => (
        <ConflictCard key={`${conflict.entity}:${conflict.entity_id}`} conflict={conflict} />
      ))}
    </div>
  );
}
