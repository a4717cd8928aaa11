import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { addComment } from '../../api/comments';
import { useT } from '../../i18n';
import { mentionedIds } from '../../lib/mentions';
import { Field, FormError, Invalid } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { MentionInput } from './MentionInput';

export const MAX_COMMENT = 2000;

/** Writing a comment, with `@` to mention people (who are told, if they may see the training). */
export function CommentForm({ workoutId }: { workoutId: string }) {
  const t = useT();
  const queries = useQueryClient();
  const [body, setBody] = useState('');
  const [chosen, setChosen] = useState(new Map<string, string>());
  const form = useSubmit(['body', 'mentions'], async () => {
    if (!body.trim()) throw new Invalid('body', t('comments.empty'));
    await addComment(queries, workoutId, { body: body.trim(), mentions: mentionedIds(body, chosen) });
    setBody('');
    setChosen(new Map());
  });
  return (
    <form onSubmit={form.onSubmit} noValidate className="comment-form">
      <FormError message={form.formError} />
      <Field
        label={t('comments.write')}
        hint={t('comments.mentionHint')}
        error={form.fieldError('body') ?? form.fieldError('mentions')}
      >
        {(props) => (
          <MentionInput
            field={props}
            maxLength={MAX_COMMENT}
            value={body}
            onChange={setBody}
            onMention={(person) => setChosen(new Map(chosen).set(person.id, person.display_name))}
          />
        )}
      </Field>
      <button type="submit" disabled={form.pending}>
        {t('comments.post')}
      </button>
    </form>
  );
}
