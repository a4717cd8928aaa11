import { Link } from 'wouter';
import { useFeed } from '../../api/feed';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { LoadMore } from '../../ui/LoadMore';
import { FeedCard } from './FeedCard';
import { FindPeople } from './FindPeople';

/** The trainings of the people the person follows and their own, newest first, more as they scroll. */
export function Feed({ me }: { me: string }) {
  const { t, language } = useI18n();
  const feed = useFeed();
  const othersShown = feed.entries.some((entry) => entry.author && entry.author.id !== me);
  return (
    <section aria-labelledby="feed-title">
      <div className="heading-row">
        <h2 id="feed-title">{t('feed.title')}</h2>
        <Link href="/trainings">{t('feed.mine')}</Link>
      </div>
      {feed.isPending && <Loading />}
      {feed.error && <div className="alert">{describe(feed.error, t, language === 'en')}</div>}
      {feed.isSuccess && !othersShown && <FindPeople />}
      <div className="feed" data-testid="feed">
        {feed.entries.map((entry) => (
          <FeedCard key={entry.workout_id} entry={entry} />
        ))}
      </div>
      <LoadMore
        hasMore={feed.hasNextPage}
        loading={feed.isFetchingNextPage}
        onMore={() => feed.fetchNextPage()}
      />
    </section>
  );
}
