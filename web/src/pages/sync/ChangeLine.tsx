import { Link } from 'wouter';
import { type Key, useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { discard } from '../../offline/changes';
import type { Mutation } from '../../offline/protocol';
import { problemError } from '../../offline/sync';
import { useViews } from '../../offline/views';
import { describe } from '../../ui/forms';
import { useSportName } from '../workouts/sportName';

/** What a waiting change is about: its record's name as shown now (or as it was, for a delete). */
function useChangeName(mutation: Mutation): string {
  const { t } = useI18n();
  const sportName = useSportName();
  const { workouts, equipment } = useViews();
  if (mutation.entity === 'workout') {
    const workout = workouts.get(mutation.entity_id);
    return workout ? workout.title || sportName(workout.sport) : mutation.label || t('outbox.untitled');
  }
  return equipment.get(mutation.entity_id)?.name || mutation.label;
}

const WHAT: Record<string, Key> = {
  'equipment.create': 'outbox.equipmentNew',
  'equipment.update': 'outbox.equipmentChanged',
  'equipment.delete': 'sync.what.equipmentDeleted',
  'workout.update': 'sync.what.workoutChanged',
  'workout.delete': 'sync.what.workoutDeleted',
};

/** A waiting change in a line: the record and what happens to it (a new training: its start). */
export function ChangeLine({ mutation }: { mutation: Mutation }) {
  const { t, locale } = useI18n();
  const name = useChangeName(mutation);
  const { workouts } = useViews();
  const started = workouts.get(mutation.entity_id)?.started_at ?? mutation.fields.started_at;
  const what =
    mutation.entity === 'workout' && mutation.op === 'create'
      ? typeof started === 'string'
        ? formatDateTime(started, locale)
        : ''
      : t(WHAT[`${mutation.entity}.${mutation.op}`] ?? 'outbox.equipmentChanged');
  return (
    <>
      <strong>{name}</strong>
      {what && ` · ${what}`}
    </>
  );
}

/** Problems after which the record is not there to edit: only discarding is left. */
const NOTHING_TO_EDIT = new Set(['gone', 'not-found']);

/** A refused change: the server's reason, and editing it (which sends it again) or discarding it. */
export function RefusedChange({ mutation, onAction }: { mutation: Mutation; onAction?: () => void }) {
  const { t, language } = useI18n();
  const { workouts, equipment } = useViews();
  if (!mutation.refused) return null;
  const error = problemError(mutation.refused);
  const reason = describe(error, t, language === 'en');
  const present =
    mutation.op !== 'delete' &&
    !NOTHING_TO_EDIT.has(error.slug) &&
    (mutation.entity === 'workout' ? workouts : equipment).has(mutation.entity_id);
  const editPath =
    mutation.entity === 'workout'
      ? `/workouts/${mutation.entity_id}/edit`
      : `/equipment/${mutation.entity_id}/edit`;
  return (
    <div className="refused-change" data-testid="refused-change">
      <div className="error" style={{ color: 'var(--danger)' }}>
        {t('outbox.refused', { reason })}
      </div>
      <div className="actions compact">
        {present && (
          <Link href={editPath} className="button secondary small-button" onClick={onAction}>
            {t('sync.edit')}
          </Link>
        )}
        <button
          type="button"
          className="secondary small-button"
          onClick={() => {
            discard(mutation.id);
            onAction?.();
          }}
        >
          {t('outbox.discard')}
        </button>
      </div>
    </div>
  );
}
