import { useTeams } from '../../api/competitions';
import type { Competition } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { useScoreText } from './wording';

/** The teams, best first: the sum of their members' results (the mean of their times for a fastest effort). */
export function TeamBoard({ competition }: { competition: Competition }) {
  const { t, language, plural } = useI18n();
  const teams = useTeams(competition.id);
  const scoreText = useScoreText();
  const mine = competition.your_entry?.team_id;
  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title" className="visually-hidden">
        {t('competitions.tab.teams')}
      </h2>
      <p className="muted small">
        {competition.kind === 'fastest' ? t('competitions.teamsMean') : t('competitions.teamsSum')}
      </p>
      {teams.isPending && <Loading />}
      {teams.error && <div className="alert">{describe(teams.error, t, language === 'en')}</div>}
      {teams.data?.length === 0 && <p className="muted">{t('competitions.noTeams')}</p>}
      {teams.data && teams.data.length > 0 && (
        <ol className="list card board" data-testid="teams">
          {teams.data.map((team, index) => (
            <li
              key={team.id}
              className={team.id === mine ? 'standing you' : 'standing'}
              aria-current={team.id === mine ? 'true' : undefined}
            >
              <span className="standing-place">{team.score == null ? '–' : index + 1}</span>
              <span className="team-name">
                {team.name}
                <span className="standing-team">{plural('competitions.members', team.members)}</span>
              </span>
              <span className="standing-score">{scoreText(competition.kind, team.score)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
