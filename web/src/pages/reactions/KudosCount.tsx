import { useKudos } from '../../api/kudos';
import type { KudosState } from '../../api/types';
import { useT } from '../../i18n';
import { Icon } from '../../ui/icons';

/** How many gave kudos, for the training's owner (who does not give their own); nothing while unknown. */
export function KudosCount({ workoutId, shown }: { workoutId: string; shown?: KudosState }) {
  const t = useT();
  const known = useKudos(workoutId) ?? shown;
  if (!known) return null;
  return (
    <span
      className="reaction"
      role="img"
      aria-label={t('kudos.count', { count: known.kudos })}
      data-testid="kudos"
    >
      <Icon name="kudos" />
      <span aria-hidden="true">{known.kudos}</span>
    </span>
  );
}
