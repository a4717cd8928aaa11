import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { keys } from '../../api/queries';
import type { Workout } from '../../api/types';

/** One workout with its analysis; asked again every two seconds while its file is being read. */
export function useWorkout(id: string) {
  return useQuery({
    queryKey: keys.workout(id),
    queryFn: () => api<Workout>(`/api/v1/workouts/${encodeURIComponent(id)}`),
    refetchInterval: (query) => (query.state.data?.state === 'processing' ? 2000 : false),
  });
}
