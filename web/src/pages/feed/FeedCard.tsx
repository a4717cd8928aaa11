import { Link } from 'wouter';
import { useAccount, useSports, useUnits } from '../../api/queries';
import type { FeedEntry } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { formatDistance, formatDuration, formatElevation } from '../../lib/units';
import { Avatar } from '../../ui/Avatar';
import { Icon } from '../../ui/icons';
import { RouteSketch } from '../../ui/RouteSketch';
import { KudosButton } from '../reactions/KudosButton';
import { KudosCount } from '../reactions/KudosCount';
import { useSportName } from '../workouts/sportName';

/** The numbers of a training that it has, in the reader's units. */
function Numbers({ entry }: { entry: FeedEntry }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  return (
    <dl className="feed-numbers">
      {entry.distance_m != null && (
        <div>
          <dt>{t('stats.distance')}</dt>
          <dd>{formatDistance(entry.distance_m, units, locale)}</dd>
        </div>
      )}
      <div>
        <dt>{t('stats.time')}</dt>
        <dd>{formatDuration(entry.duration_s)}</dd>
      </div>
      {entry.elevation_m != null && entry.elevation_m > 0 && (
        <div>
          <dt>{t('stats.climb')}</dt>
          <dd>{formatElevation(entry.elevation_m, units, locale)}</dd>
        </div>
      )}
    </dl>
  );
}

/** One training in a feed or on a profile, drawn from the entry alone. */
export function FeedCard({ entry }: { entry: FeedEntry }) {
  const { t, locale, plural } = useI18n();
  const sportName = useSportName();
  const icon = useSports().data?.find((s) => s.id === entry.sport)?.icon;
  const title = entry.title || sportName(entry.sport);
  const workout = `/workouts/${entry.workout_id}`;
  const me = useAccount().data?.id;
  const mine = me !== undefined && entry.author?.id === me;
  return (
    <article className="card feed-card" data-testid="feed-entry">
      <header className="feed-author">
        {entry.author && (
          <Link href={`/people/${entry.author.id}`} className="person-link">
            <Avatar person={entry.author} />
            <span>{entry.author.display_name}</span>
          </Link>
        )}
        <time className="small muted" dateTime={entry.started_at}>
          {formatDateTime(entry.started_at, locale)}
        </time>
      </header>
      <div className="feed-body">
        <div className="feed-text">
          <h3>
            <Link href={workout}>{title}</Link>
          </h3>
          <p className="small muted">
            <span aria-hidden="true">{icon ?? '⭐'}</span> {sportName(entry.sport)}
          </p>
          <Numbers entry={entry} />
        </div>
        <RouteSketch shape={entry.shape} label={t('feed.route', { title })} />
      </div>
      <footer className="feed-reactions">
        {mine ? (
          <KudosCount workoutId={entry.workout_id} shown={entry} />
        ) : (
          <KudosButton workoutId={entry.workout_id} shown={entry} />
        )}
        <Link href={workout} className="reaction" aria-label={plural('comments.count', entry.comments)}>
          <Icon name="comment" />
          <span aria-hidden="true">{entry.comments}</span>
        </Link>
      </footer>
    </article>
  );
}
