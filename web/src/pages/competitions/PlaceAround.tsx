import type { AroundMe, CompetitionKind } from '../../api/types';
import { useT } from '../../i18n';
import { StandingRow } from './StandingRow';

interface Props {
  around: AroundMe | undefined;
  kind: CompetitionKind;
  /** Whether the person's own line is already on the board shown below (then only the place is said). */
  onBoard: boolean;
  teamName?: (id: string | null | undefined) => string | undefined;
}

/** "You are in place 12" and the people just above and below. */
export function PlaceAround({ around, kind, onBoard, teamName }: Props) {
  const t = useT();
  if (!around || around.place == null) return null;
  return (
    <section className="place-around" aria-labelledby="place-title" data-testid="place-around">
      <h2 id="place-title">{t('competitions.yourPlace', { place: around.place })}</h2>
      {!onBoard && around.items.length > 0 && (
        <ol className="list card board">
          {around.items.map((standing) => (
            <StandingRow
              key={standing.person.id}
              standing={standing}
              kind={kind}
              team={teamName?.(standing.team_id)}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
