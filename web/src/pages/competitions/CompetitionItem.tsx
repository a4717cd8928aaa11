import { Link } from 'wouter';
import type { Competition } from '../../api/types';
import { useI18n } from '../../i18n';
import { useSportName } from '../workouts/sportName';
import { StatusBadge } from './StatusBadge';
import { formatWindow, useKindText } from './wording';

/** A competition in a list: its title and state, what it measures, in which sports, when, and how many entered. */
export function CompetitionItem({ competition }: { competition: Competition }) {
  const { t, locale, plural } = useI18n();
  const kindText = useKindText();
  const sportName = useSportName();
  const entrants =
    competition.entry_limit != null
      ? t('competitions.entrantsOf', { count: competition.entrants, limit: competition.entry_limit })
      : plural('competitions.entrants', competition.entrants);
  return (
    <li className="competition-item" data-testid="competition-item">
      <Link href={`/competitions/${competition.id}`} className="competition-link">
        <span className="competition-title">
          <span className="title">{competition.title}</span>
          <StatusBadge status={competition.status} />
        </span>
        <span className="meta">
          {kindText(competition)} · {competition.sports.map(sportName).join(', ')}
        </span>
        <span className="meta">{formatWindow(competition.starts_at, competition.ends_at, locale)}</span>
        <span className="meta">
          {entrants}
          {competition.your_entry && ` · ${t('competitions.entered')}`}
          {competition.invite_only && ` · ${t('competitions.inviteOnly')}`}
        </span>
      </Link>
    </li>
  );
}
