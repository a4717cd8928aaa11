import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { fileReport } from '../../api/moderation';
import { ApiError } from '../../api/problem';
import type { ReportReason, ReportSubject } from '../../api/types';
import { useT } from '../../i18n';
import { Field, FormError } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';

export const REASONS: ReportReason[] = ['spam', 'abuse', 'privacy', 'other'];

interface Props {
  open: boolean;
  subject: ReportSubject;
  /** The profile's user id, the training's id or the comment's id. */
  id: string;
  onClose: () => void;
}

/** Reporting a profile, a training or a comment to the administrators: why, and in a few words. */
export function ReportDialog({ open, subject, id, onClose }: Props) {
  const t = useT();
  return (
    <Modal open={open} title={t(`report.title.${subject}`)} onClose={onClose}>
      <ReportForm subject={subject} id={id} onClose={onClose} />
    </Modal>
  );
}

function ReportForm({ subject, id, onClose }: Omit<Props, 'open'>) {
  const t = useT();
  const queries = useQueryClient();
  const hints = useId();
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [details, setDetails] = useState('');
  const [sent, setSent] = useState<'new' | 'again' | null>(null);
  const form = useSubmit(['details'], async () => {
    if (!reason) return;
    try {
      await fileReport(queries, { subject, id, reason, details: details.trim() });
      setSent('new');
    } catch (error) {
      // Already reported and still open: say so plainly rather than as a clash.
      if (error instanceof ApiError && error.status === 409) setSent('again');
      else throw error;
    }
  });

  if (sent) {
    return (
      <>
        <p role="status">{sent === 'new' ? t('report.sent') : t('report.already')}</p>
        <div className="actions">
          <Link href="/reports" className="button secondary">
            {t('report.mine')}
          </Link>
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
      <FormError message={form.formError} />
      <fieldset className="field reasons">
        <legend>{t('report.reason')}</legend>
        {REASONS.map((value) => (
          <div key={value} className="reason">
            <label className="check">
              <input
                type="radio"
                name="reason"
                value={value}
                checked={reason === value}
                aria-describedby={`${hints}-${value}`}
                onChange={() => setReason(value)}
              />
              {t(`report.reason.${value}`)}
            </label>
            <span className="hint" id={`${hints}-${value}`}>
              {t(`report.reasonHint.${value}`)}
            </span>
          </div>
        ))}
      </fieldset>
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
