import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { judge } from '../../api/competitions';
import type { Person } from '../../api/types';
import { useI18n } from '../../i18n';
import { Field, FormError, Invalid } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';
import { inOwnWords } from './problems';

interface Props {
  competitionId: string;
  /** Whose result; none while the dialog is closed. */
  person: Person | null;
  onClose: () => void;
  onDone: (person: Person) => void;
}

/** An organiser disqualifying someone's result, saying why (the person is told). */
export function DisqualifyDialog({ competitionId, person, onClose, onDone }: Props) {
  const { t } = useI18n();
  return (
    <Modal
      open={person !== null}
      title={t('competitions.disqualifyTitle', { name: person?.display_name ?? '' })}
      onClose={onClose}
    >
      {person && (
        <DisqualifyForm competitionId={competitionId} person={person} onClose={onClose} onDone={onDone} />
      )}
    </Modal>
  );
}

function DisqualifyForm({ competitionId, person, onClose, onDone }: Props & { person: Person }) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const [reason, setReason] = useState('');
  const form = useSubmit(['reason'], async () => {
    const why = reason.trim();
    if (!why) throw new Invalid('reason', t('competitions.reasonMissing'));
    await inOwnWords(
      () => judge(queries, competitionId, person.id, why),
      { reason: t('competitions.reasonInvalid') },
      language === 'en',
    );
    onDone(person);
  });
  return (
    <form onSubmit={form.onSubmit} noValidate>
      <FormError message={form.formError} />
      <Field
        label={t('competitions.reason')}
        hint={t('competitions.reasonHint')}
        error={form.fieldError('reason')}
      >
        {(props) => (
          <textarea {...props} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="danger" disabled={form.pending}>
          {t('competitions.disqualify')}
        </button>
      </div>
    </form>
  );
}
