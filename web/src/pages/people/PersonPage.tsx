import { Link } from 'wouter';
import { usePerson } from '../../api/people';
import { ApiError } from '../../api/problem';
import { useAccount } from '../../api/queries';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { FeedCard } from '../feed/FeedCard';
import { PersonNotFound } from './PersonNotFound';
import { ProfileHeader } from './ProfileHeader';
import { ProfileRecords } from './ProfileRecords';
import { ProfileTotals } from './ProfileTotals';

/** Someone's profile, `/people/:id`: who they are, following them, and their trainings the viewer may see. */
export default function PersonPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const me = useAccount().data?.id;
  const person = usePerson(id);
  if (person.isPending) return <Loading />;
  if (person.error instanceof ApiError && person.error.status === 404) return <PersonNotFound id={id} />;
  if (person.error) return <div className="alert">{describe(person.error, t, language === 'en')}</div>;
  const profile = person.data;
  const mine = profile.id === me;
  const closed = profile.private && !mine && profile.you_follow !== 'accepted';
  return (
    <>
      <ProfileHeader profile={profile} mine={mine} />
      {closed && <p className="notice">{t('person.private')}</p>}
      {mine && profile.private && (
        <p className="notice">
          {t('person.youArePrivate')} <Link href="/follow-requests">{t('requests.title')}</Link>
        </p>
      )}
      <ProfileTotals totals={profile.totals} />
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('person.recent')}</h2>
        {profile.recent.length === 0 && (
          <p className="muted">{mine ? t('person.noTrainingsYet') : t('person.noTrainings')}</p>
        )}
        <div className="feed">
          {profile.recent.map((entry) => (
            <FeedCard key={entry.workout_id} entry={entry} />
          ))}
        </div>
      </section>
      <ProfileRecords records={profile.records} />
    </>
  );
}
