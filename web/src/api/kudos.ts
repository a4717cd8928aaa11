/**
 * Kudos on trainings. Each training's count and whether the viewer gave one
 * live under one key, filled from every feed page and profile that lists
 * the training, so a feed card and the training's page show the same and a
 * kudos changes both at once (optimistically: the server's answer follows).
 */
import { type QueryClient, skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type { KudosState } from './types';

function kudosPath(workoutId: string): string {
  return `/api/v1/reactions/${encodeURIComponent(workoutId)}/kudos`;
}

/** Keeps what a list of trainings says of their kudos. */
export function rememberKudos(
  queries: QueryClient,
  entries: { workout_id: string; kudos: number; you_gave_kudos: boolean }[],
) {
  for (const { workout_id, kudos, you_gave_kudos } of entries) {
    queries.setQueryData<KudosState>(keys.kudos(workout_id), { kudos, you_gave_kudos });
  }
}

/**
 * A training's kudos as last known; undefined when no list showed it yet
 * (the API has no GET for one training's kudos).
 */
export function useKudos(workoutId: string): KudosState | undefined {
  return useQuery<KudosState>({ queryKey: keys.kudos(workoutId), queryFn: skipToken, staleTime: Infinity })
    .data;
}

/**
 * Gives kudos or takes it back, shown at once and put right by the server's
 * answer; `shown` is what the screen showed when nothing was kept yet.
 */
export function useToggleKudos(workoutId: string, shown?: KudosState) {
  const queries = useQueryClient();
  const key = keys.kudos(workoutId);
  return useMutation({
    mutationFn: (give: boolean) => api<KudosState>(kudosPath(workoutId), { method: give ? 'PUT' : 'DELETE' }),
    onMutate: async (give) => {
      await queries.cancelQueries({ queryKey: key });
      const before = queries.getQueryData<KudosState>(key) ?? shown;
      if (before && before.you_gave_kudos !== give) {
        queries.setQueryData<KudosState>(key, {
          kudos: Math.max(0, before.kudos + (give ? 1 : -1)),
          you_gave_kudos: give,
        });
      }
      return { before };
    },
    onError: (_error, _give, context) => {
      if (context?.before) queries.setQueryData(key, context.before);
    },
    onSuccess: (state) => queries.setQueryData(key, state),
  });
}
