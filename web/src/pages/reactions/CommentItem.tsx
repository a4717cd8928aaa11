import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { deleteComment } from '../../api/comments';
import type { Comment } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { Avatar } from '../../ui/Avatar';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { ReportButton } from '../moderation/ReportButton';
import { EditComment } from './EditComment';

interface Props {
  comment: Comment;
  /** Written by the viewer: they may change or delete it. */
  mine: boolean;
  /** On the viewer's training: they may remove it. */
  onMyTraining: boolean;
}

/** One comment: who, when, the text as written (never as markup), and what the viewer may do with it. */
export function CommentItem({ comment, mine, onMyTraining }: Props) {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const removal = useSubmit([], async () => {
    setDeleting(false);
    await deleteComment(queries, comment);
  });
  const author = comment.author;
  return (
    <li className="comment" data-testid="comment">
      <div className="comment-head">
        {author ? (
          <Link href={`/people/${author.id}`} className="person-link">
            <Avatar person={author} />
            <span>{author.display_name}</span>
          </Link>
        ) : (
          <span className="muted">{t('comments.gone')}</span>
        )}
        <time className="small muted" dateTime={comment.created_at}>
          {formatDateTime(comment.created_at, locale)}
        </time>
        {comment.edited_at && <span className="small muted">{t('comments.edited')}</span>}
        {comment.hidden && <span className="badge">{t('comments.hidden')}</span>}
      </div>
      {editing ? (
        <EditComment comment={comment} onDone={() => setEditing(false)} />
      ) : (
        <p className="comment-body">{comment.body}</p>
      )}
      <FormError message={removal.formError} />
      {!editing && (
        <div className="comment-actions">
          {mine && !comment.hidden && (
            <button type="button" className="link" onClick={() => setEditing(true)}>
              {t('comments.change')}
            </button>
          )}
          {(mine || onMyTraining) && (
            <button type="button" className="link" onClick={() => setDeleting(true)}>
              {mine ? t('comments.delete') : t('comments.remove')}
            </button>
          )}
          {!mine && author && <ReportButton subject="comment" id={comment.id} label={t('report.action')} />}
        </div>
      )}
      <ConfirmDialog
        open={deleting}
        title={mine ? t('comments.deleteTitle') : t('comments.removeTitle')}
        text={t('comments.deleteText')}
        confirmLabel={mine ? t('comments.delete') : t('comments.remove')}
        danger
        onConfirm={() => removal.onSubmit()}
        onCancel={() => setDeleting(false)}
      />
    </li>
  );
}
