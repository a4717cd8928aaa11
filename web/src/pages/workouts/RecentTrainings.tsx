import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { WorkoutPage } from '../../api/types';
import { useMyWorkouts } from '../../api/workouts';
import { useI18n } from '../../i18n';
import { useOnline } from '../../lib/online';
import { describe, Loading } from '../../ui/forms';
import { WorkoutItem } from './WorkoutItem';

const STEP = 20;

/**
 * The person's own trainings, newest first, from the device's copy (offline
 * too, with what waits to be sent). Until the device holds the whole copy
 * (the first sync after logging in), the server's list stands in for it.
 */
export function RecentTrainings() {
  const mine = useMyWorkouts();
  return mine.ready ? <LocalTrainings /> : <ServerTrainings />;
}

function LocalTrainings() {
  const { t } = useI18n();
  const { items } = useMyWorkouts();
  const [shown, setShown] = useState(STEP);
  return (
    <>
      {items.length === 0 && <p className="muted">{t('home.empty')}</p>}
      <ul
        className="list card"
        data-testid="trainings"
        style={{ padding: items.length ? '0 1rem' : 0, border: items.length ? undefined : 'none' }}
      >
        {items.slice(0, shown).map((workout) => (
          <WorkoutItem key={workout.id} workout={workout} />
        ))}
      </ul>
      {items.length > shown && (
        <button type="button" className="secondary" onClick={() => setShown(shown + STEP)}>
          {t('home.more')}
        </button>
      )}
    </>
  );
}

function ServerTrainings() {
  const { t, language } = useI18n();
  const online = useOnline();
  const workouts = useInfiniteQuery({
    queryKey: [...keys.workouts, 'list'],
    queryFn: ({ pageParam }) =>
      api<WorkoutPage>(
        `/api/v1/workouts?limit=${STEP}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
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
        data-testid="trainings"
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
