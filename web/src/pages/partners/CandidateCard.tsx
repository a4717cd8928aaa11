import { Link } from 'wouter';
import { useUnits } from '../../api/queries';
import type { Candidate } from '../../api/types';
import { useI18n } from '../../i18n';
import { Avatar } from '../../ui/Avatar';
import { useSportName } from '../workouts/sportName';
import { levelText, TIMES, WEEKDAYS, weekdayName } from './levels';

/** Who someone in the deck is: name, picture, the sports shared with their levels, about how far, when. */
export function CandidateCard({ candidate }: { candidate: Candidate }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const sportName = useSportName();
  const person = {
    id: candidate.user_id,
    display_name: candidate.display_name,
    avatar_url: candidate.avatar_url,
  };
  const days = WEEKDAYS.filter((day) => candidate.days.includes(day));
  const times = TIMES.filter((time) => candidate.times.includes(time));
  return (
    <>
      <div className="candidate-top">
        <Avatar person={person} size="large" />
        <div>
          <h2 className="candidate-name">{person.display_name}</h2>
          <p className="candidate-distance">{t('partners.aboutKm', { km: candidate.about_km })}</p>
          {candidate.active_recently && <span className="badge active-badge">{t('partners.active')}</span>}
        </div>
      </div>
      <ul className="candidate-sports" aria-label={t('partners.sharedSports')}>
        {candidate.sports.map((level) => (
          <li key={level.sport}>
            <span className="candidate-sport">{sportName(level.sport)}</span>
            <span className="candidate-level">{levelText(level, units, locale)}</span>
          </li>
        ))}
      </ul>
      <dl className="candidate-when">
        <dt>{t('partners.days')}</dt>
        <dd>{days.map((day) => weekdayName(day, locale)).join(', ')}</dd>
        <dt>{t('partners.times')}</dt>
        <dd>{times.map((time) => t(`partners.timeShort.${time}`)).join(', ')}</dd>
      </dl>
      <p className="candidate-profile small">
        <Link href={`/people/${person.id}`}>{t('partners.profile')}</Link>
      </p>
    </>
  );
}
