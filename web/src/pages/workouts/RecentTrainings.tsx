import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { WorkoutPage } from '../../api/types';
import { useI18n } from '../../i18n';
import { useOnline } from '../../lib/online';
import { describe, Loading } from '../../ui/forms';
import { WorkoutItem } from './WorkoutItem';

/** The person's own trainings, newest first, a page at a time (training's own list: at once after a change). */
export function RecentTrainings() {
  const { t, language } = useI18n();
  const online = useOnline();
  const workouts = useInfiniteQuery({
    queryKey: [...keys.workouts, 'list'],
    queryFn: ({ pageParam }) =>
      api<WorkoutPage>(
        `/api/v1/workouts?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = workouts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {workouts.isPending && (online ? <Loading /> : <p className="muted">{t('offline.listLater')}</p>)}
      {workouts.error && <div className="alert">{describe(workouts.error, t, language === 'en')}</div>}
      {workouts.isSuccess && items.length === 0 && <p className="muted">{t('home.empty')}</p>}
      <ul
        className="list card"
        style={{ padding: items.length ? '0 1rem' : 0, border: items.length ? undefined : 'none' }}
      >
        {items.map((workout) => (
          <WorkoutItem key={workout.id} workout={workout} />
        ))}
      </ul>
      {workouts.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() => workouts.fetchNextPage()}
          disabled={workouts.isFetchingNextPage}
        >
          {t('home.more')}
        </button>
      )}
    </>
  );
}
