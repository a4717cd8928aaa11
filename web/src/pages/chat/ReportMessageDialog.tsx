import { useState } from 'react';
import { reportMessage } from '../../api/chat';
import { ApiError } from '../../api/problem';
import type { ChatMessage, ReportReason } from '../../api/types';
import { useT } from '../../i18n';
import { Field, FormError } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';
import { REASONS } from '../moderation/ReportDialog';

interface Props {
  conversationId: string;
  /** The message being reported; none while the dialog is closed. */
  message: ChatMessage | null;
  /** Who wrote it. */
  name: string;
  onClose: () => void;
}

/** Reporting the other person's message to the moderators: why, and in a few words. */
export function ReportMessageDialog({ conversationId, message, name, onClose }: Props) {
  const t = useT();
  return (
    <Modal open={message !== null} title={t('chat.reportTitle', { name })} onClose={onClose}>
      {message && (
        <ReportForm key={message.id} conversationId={conversationId} message={message} onClose={onClose} />
      )}
    </Modal>
  );
}

function ReportForm({
  conversationId,
  message,
  onClose,
}: {
  conversationId: string;
  message: ChatMessage;
  onClose: () => void;
}) {
  const t = useT();
  const [reason, setReason] = useState<ReportReason | ''>('');
  const [details, setDetails] = useState('');
  const [sent, setSent] = useState<'new' | 'again' | null>(null);
  const form = useSubmit(['reason', 'details'], async () => {
    if (!reason) return;
    try {
      await reportMessage(conversationId, message.id, reason, details.trim());
      setSent('new');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setSent('again');
      else throw error;
    }
  });
  if (sent) {
    return (
      <>
        <p role="status">{sent === 'new' ? t('report.sent') : t('report.already')}</p>
        <div className="actions">
          {/* biome-ignore lint/a11y/noAutofocus: the dialog's content changed under the focus */}
          <button type="button" autoFocus onClick={onClose}>
            {t('report.close')}
          </button>
        </div>
      </>
    );
  }
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <blockquote className="quote">{message.body}</blockquote>
      <FormError message={form.formError} />
      <Field label={t('report.reason')} error={form.fieldError('reason')}>
        {(props) => (
          <select {...props} value={reason} onChange={(e) => setReason(e.target.value as ReportReason)}>
            <option value="" disabled>
              {t('chat.reportChoose')}
            </option>
            {REASONS.map((value) => (
              <option key={value} value={value}>
                {t(`report.reason.${value}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('report.details')} hint={t('report.detailsHint')} error={form.fieldError('details')}>
        {(props) => (
          <textarea
            {...props}
            maxLength={1000}
            value={details}
            onChange={(e) => setDetails(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={!reason || form.pending}>
          {t('report.send')}
        </button>
      </div>
    </form>
  );
}
