import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { changeComment } from '../../api/comments';
import type { Comment } from '../../api/types';
import { useT } from '../../i18n';
import { Field, FormError, Invalid } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { MAX_COMMENT } from './CommentForm';

/** Changing one's comment in place. */
export function EditComment({ comment, onDone }: { comment: Comment; onDone: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const [body, setBody] = useState(comment.body);
  const form = useSubmit(['body'], async () => {
    if (!body.trim()) throw new Invalid('body', t('comments.empty'));
    await changeComment(queries, comment, { body: body.trim() });
    onDone();
  });
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <FormError message={form.formError} />
      <Field label={t('comments.edit')} error={form.fieldError('body')}>
        {(props) => (
          <textarea
            {...props}
            maxLength={MAX_COMMENT}
            value={body}
            onChange={(e) => setBody(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={form.pending}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}
