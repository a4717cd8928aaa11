import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { decideReport } from '../../api/moderation';
import type { ModerationAction, Report } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field, FormError, Invalid } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

const ACTIONS: ModerationAction[] = ['hide', 'warn', 'suspend', 'dismiss'];

/** Deciding a report: what to do, and why (logged; told to the author with a warning). Suspending is asked first. */
export function DecisionForm({ report, onDecided }: { report: Report; onDecided: (report: Report) => void }) {
  const t = useT();
  const queries = useQueryClient();
  const name = useId();
  const [action, setAction] = useState<ModerationAction | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const decide = useSubmit(['reason'], async () => {
    setConfirming(false);
    if (!action) return;
    if (!reason.trim()) throw new Invalid('reason', t('moderation.reasonMissing'));
    onDecided(await decideReport(queries, report.id, { action, reason: reason.trim() }));
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (action === 'suspend' && reason.trim()) setConfirming(true);
        else decide.onSubmit();
      }}
      noValidate
    >
      <FormError message={decide.formError} />
      <fieldset className="field chips">
        <legend>{t('moderation.decision')}</legend>
        <div className="chip-row">
          {ACTIONS.map((value) => (
            <label key={value} className="chip">
              <input type="radio" name={name} checked={action === value} onChange={() => setAction(value)} />
              <span>{t(`moderation.action.${value}`)}</span>
            </label>
          ))}
        </div>
        {action && <span className="hint">{t(`moderation.actionHint.${action}`)}</span>}
      </fieldset>
      <Field
        label={t('moderation.reason')}
        hint={t('moderation.reasonHint')}
        error={decide.fieldError('reason')}
      >
        {(props) => (
          <textarea {...props} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <button type="submit" disabled={!action || decide.pending}>
        {t('moderation.decide')}
      </button>
      <ConfirmDialog
        open={confirming}
        title={t('moderation.suspendTitle')}
        text={t('moderation.suspendText')}
        confirmLabel={t('moderation.action.suspend')}
        danger
        onConfirm={() => decide.onSubmit()}
        onCancel={() => setConfirming(false)}
      />
    </form>
  );
}
