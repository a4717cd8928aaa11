import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { CompetitionKind, Standing } from '../../api/types';
import { useI18n } from '../../i18n';
import { Avatar } from '../../ui/Avatar';
import { useScoreText } from './wording';

interface Props {
  standing: Standing;
  kind: CompetitionKind;
  /** The name of the person's team, when they are in one. */
  team?: string;
  /** What an organiser may do about the line. */
  actions?: ReactNode;
}

/** One line of a board: place, person, result (a link to the training behind it when shown), yours marked. */
export function StandingRow({ standing, kind, team, actions }: Props) {
  const { t, plural } = useI18n();
  const scoreText = useScoreText();
  const score = scoreText(kind, standing.score);
  const cumulative = kind === 'distance' || kind === 'duration' || kind === 'elevation';
  // Under the name: that it is the reader's own line (not by colour alone), and the team.
  const under = [standing.you ? t('competitions.you') : null, team].filter(Boolean).join(' · ');
  return (
    <li
      className={standing.you ? 'standing you' : 'standing'}
      aria-current={standing.you ? 'true' : undefined}
      data-testid="standing"
    >
      <span className="standing-place">{standing.place}</span>
      <Link href={`/people/${standing.person.id}`} className="person-link">
        <Avatar person={standing.person} />
        <span>
          {standing.person.display_name}
          {under && <span className="standing-team">{under}</span>}
        </span>
      </Link>
      <span className="standing-score">
        {standing.workout_id ? <Link href={`/workouts/${standing.workout_id}`}>{score}</Link> : score}
        {cumulative && (
          <span className="small muted">{plural('competitions.trainings', standing.trainings)}</span>
        )}
      </span>
      {actions}
    </li>
  );
}
