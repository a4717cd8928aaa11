import { useKudos, useToggleKudos } from '../../api/kudos';
import type { KudosState } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe } from '../../ui/forms';
import { Icon } from '../../ui/icons';

/**
 * Kudos for a training: pressed when the viewer gave one, with how many it
 * has. `shown` is what a list said of it; without either, only the button.
 */
export function KudosButton({ workoutId, shown }: { workoutId: string; shown?: KudosState }) {
  const { t, language } = useI18n();
  const known = useKudos(workoutId) ?? shown;
  const toggle = useToggleKudos(workoutId, known);
  const gave = known?.you_gave_kudos ?? false;
  return (
    <span className="reaction-wrap">
      <button
        type="button"
        className="reaction"
        aria-pressed={gave}
        aria-label={known ? t('kudos.count', { count: known.kudos }) : t('kudos.give')}
        title={gave ? t('kudos.takeBack') : t('kudos.give')}
        onClick={() => toggle.mutate(!gave)}
        data-testid="kudos"
      >
        <Icon name="kudos" />
        <span aria-hidden="true">{known ? known.kudos : t('kudos.give')}</span>
      </button>
      {toggle.error && (
        <span className="small error" role="alert">
          {describe(toggle.error, t, language === 'en')}
        </span>
      )}
    </span>
  );
}
