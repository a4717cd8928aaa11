/** Comments on a training: the list, writing one (with the people it mentions), changing and deleting. */
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './queries';
import type { Comment, CommentChange, NewComment } from './types';

function commentsPath(workoutId: string, id?: string): string {
  const path = `/api/v1/reactions/${encodeURIComponent(workoutId)}/comments`;
  return id ? `${path}/${encodeURIComponent(id)}` : path;
}

/** Oldest first; an administrator also gets the hidden ones. */
export function useComments(workoutId: string, enabled = true) {
  return useQuery({
    queryKey: keys.comments(workoutId),
    queryFn: () => api<Comment[]>(commentsPath(workoutId)),
    enabled,
  });
}

/** After a change: the list as the server has it, and the feed's comment counts. */
function settle(queries: QueryClient, workoutId: string) {
  queries.invalidateQueries({ queryKey: keys.comments(workoutId) });
  queries.invalidateQueries({ queryKey: keys.feed });
}

export async function addComment(queries: QueryClient, workoutId: string, comment: NewComment) {
  const added = await api<Comment>(commentsPath(workoutId), { method: 'POST', body: comment });
  queries.setQueryData<Comment[]>(keys.comments(workoutId), (list) => list && [...list, added]);
  settle(queries, workoutId);
  return added;
}

export async function changeComment(queries: QueryClient, comment: Comment, change: CommentChange) {
  const changed = await api<Comment>(commentsPath(comment.workout_id, comment.id), {
    method: 'PATCH',
    body: change,
  });
  queries.setQueryData<Comment[]>(keys.comments(comment.workout_id), (list) =>
    list?.map((c) => (c.id === changed.id ? changed : c)),
  );
  return changed;
}

export async function deleteComment(queries: QueryClient, comment: Comment) {
  await api(commentsPath(comment.workout_id, comment.id), { method: 'DELETE' });
  queries.setQueryData<Comment[]>(keys.comments(comment.workout_id), (list) =>
    list?.filter((c) => c.id !== comment.id),
  );
  settle(queries, comment.workout_id);
}
