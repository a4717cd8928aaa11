import { Link } from 'wouter';
import type { Profile } from '../../api/types';
import { useI18n } from '../../i18n';
import { Avatar } from '../../ui/Avatar';
import { useSportName } from '../workouts/sportName';
import { FollowButton } from './FollowButton';
import { MessageButton } from './MessageButton';
import { PersonMenu } from './PersonMenu';

/** Who someone is: picture, name, bio, sports, their followers and followings, and following them. */
export function ProfileHeader({ profile, mine }: { profile: Profile; mine: boolean }) {
  const { t, plural } = useI18n();
  const sportName = useSportName();
  const sports = profile.sports ?? [];
  return (
    <header className="profile-header">
      <div className="profile-top">
        <Avatar person={profile} size="large" />
        <div className="profile-name">
          <h1>{profile.display_name}</h1>
          {profile.follows_you === 'accepted' && <span className="badge">{t('person.followsYou')}</span>}
          <p className="profile-counts">
            <Link href={`/people/${profile.id}/followers`}>
              {plural('person.followers', profile.followers)}
            </Link>
            <Link href={`/people/${profile.id}/following`}>
              {plural('person.following', profile.following)}
            </Link>
          </p>
        </div>
      </div>
      {profile.bio && <p className="bio">{profile.bio}</p>}
      {sports.length > 0 && (
        <ul className="sport-tags" aria-label={t('person.sports')}>
          {sports.map((sport) => (
            <li key={sport}>{sportName(sport)}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        {mine ? (
          <Link href="/settings/profile" className="button secondary">
            {t('person.edit')}
          </Link>
        ) : (
          <>
            <FollowButton profile={profile} />
            <MessageButton person={profile} />
            <PersonMenu person={profile} />
          </>
        )}
      </div>
    </header>
  );
}
