import { useComments } from '../../api/comments';
import { useAccount } from '../../api/queries';
import { useI18n } from '../../i18n';
import { describe } from '../../ui/forms';
import { CommentForm } from './CommentForm';
import { CommentItem } from './CommentItem';
import { KudosButton } from './KudosButton';
import { KudosCount } from './KudosCount';

/**
 * Kudos and the comments under a training, for someone logged in. While the
 * comments load the section stays quiet: the page above says it is loading.
 */
export function Reactions({ workoutId, ownerId }: { workoutId: string; ownerId: string }) {
  const { t, language, plural } = useI18n();
  const me = useAccount().data?.id;
  const comments = useComments(workoutId);
  const list = comments.data ?? [];
  return (
    <section aria-labelledby="comments-title" className="reactions">
      <div className="heading-row">
        <h2 id="comments-title">
          {list.length > 0 ? plural('comments.count', list.length) : t('comments.title')}
        </h2>
        {ownerId === me ? <KudosCount workoutId={workoutId} /> : <KudosButton workoutId={workoutId} />}
      </div>
      {comments.error && <div className="alert">{describe(comments.error, t, language === 'en')}</div>}
      {comments.isSuccess && list.length === 0 && <p className="muted">{t('comments.none')}</p>}
      {list.length > 0 && (
        <ul className="list comments" data-testid="comments">
          {list.map((comment) => (
            <CommentItem
              key={comment.id}
              comment={comment}
              mine={comment.author?.id === me}
              onMyTraining={ownerId === me}
            />
          ))}
        </ul>
      )}
      {comments.isSuccess && <CommentForm workoutId={workoutId} />}
    </section>
  );
}
