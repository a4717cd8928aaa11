import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { openConversation } from '../../api/chat';
import type { Person } from '../../api/types';
import { useT } from '../../i18n';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

/**
 * Writing to someone: opens (or finds) the conversation with them. The server
 * says why not when they neither follow each other nor matched.
 */
export function MessageButton({ person }: { person: Person }) {
  const t = useT();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const open = useSubmit([], async () => {
    const conversation = await openConversation(queries, person.id);
    navigate(`/chat/${conversation.id}`);
  });
  return (
    <>
      <button type="button" className="secondary" disabled={open.pending} onClick={() => open.onSubmit()}>
        {t('chat.message')}
      </button>
      <FormError message={open.formError} />
    </>
  );
}
