import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { asPerson, openConversation } from '../../api/chat';
import type { PartnerMatch } from '../../api/types';
import { useT } from '../../i18n';
import { Avatar } from '../../ui/Avatar';
import { FormError } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';

/** "It's a match": both said yes. Writing to them is one button away. */
export function MatchDialog({ match, onClose }: { match: PartnerMatch | null; onClose: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const write = useSubmit([], async () => {
    if (!match) return;
    // The match opened the conversation; should it be missing, opening finds or makes it.
    const id = match.conversation_id || (await openConversation(queries, match.with.user_id)).id;
    onClose();
    navigate(`/chat/${id}`);
  });
  return (
    <Modal open={match !== null} title={t('partners.matchTitle')} onClose={onClose}>
      {match && (
        <div className="match" data-testid="match-dialog">
          <Avatar person={asPerson(match.with, t('person.someone'))} size="large" />
          <p>{t('partners.matchText', { name: match.with.display_name || t('person.someone') })}</p>
          <FormError message={write.formError} />
          <div className="actions">
            <button type="button" className="secondary" onClick={onClose}>
              {t('partners.keepLooking')}
            </button>
            {/* biome-ignore lint/a11y/noAutofocus: the dialog's one thing to do */}
            <button type="button" autoFocus disabled={write.pending} onClick={() => write.onSubmit()}>
              {t('partners.sendMessage')}
            </button>
          </div>
        </div>
      )}
    </Modal>
  );
}
