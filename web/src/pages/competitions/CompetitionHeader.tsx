import type { Competition } from '../../api/types';
import { useI18n } from '../../i18n';
import { useSportName } from '../workouts/sportName';
import { StatusBadge } from './StatusBadge';
import { deviceTimeZone, formatWindow, useKindText } from './wording';

/** A competition's title and state, its description, and what, which sports, when, and who may enter. */
export function CompetitionHeader({ competition }: { competition: Competition }) {
  const { t, locale, plural } = useI18n();
  const kindText = useKindText();
  const sportName = useSportName();
  const otherZone = competition.time_zone !== deviceTimeZone();
  return (
    <header className="competition-header">
      <div className="competition-title">
        <h1>{competition.title}</h1>
        <StatusBadge status={competition.status} />
      </div>
      {competition.description && <p className="bio">{competition.description}</p>}
      <dl className="facts">
        <div>
          <dt>{t('competitions.field.kind')}</dt>
          <dd data-testid="competition-kind">{kindText(competition)}</dd>
        </div>
        <div>
          <dt>{t('competitions.field.sports')}</dt>
          <dd>{competition.sports.map(sportName).join(', ')}</dd>
        </div>
        <div className="wide-fact">
          <dt>{t('competitions.field.window')}</dt>
          <dd>
            {formatWindow(competition.starts_at, competition.ends_at, locale)}
            {otherZone && (
              <span className="small muted">
                {' '}
                {t('competitions.organiserZone', { zone: competition.time_zone })}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('competitions.field.entrants')}</dt>
          <dd data-testid="competition-entrants">
            {competition.entry_limit != null
              ? t('competitions.entrantsOf', { count: competition.entrants, limit: competition.entry_limit })
              : plural('competitions.entrants', competition.entrants)}
          </dd>
        </div>
        {competition.region && (
          <div>
            <dt>{t('competitions.field.region')}</dt>
            <dd>{competition.region}</dd>
          </div>
        )}
        {competition.invite_only && (
          <div>
            <dt>{t('competitions.field.who')}</dt>
            <dd>{t('competitions.inviteOnly')}</dd>
          </div>
        )}
      </dl>
    </header>
  );
}
