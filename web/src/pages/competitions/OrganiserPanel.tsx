import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { deleteCompetition } from '../../api/competitions';
import type { Competition } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { InviteLink } from './InviteLink';

/** What the organiser has: the invitation link of an invite-only competition, and removing one not started. */
export function OrganiserPanel({ competition }: { competition: Competition }) {
  const t = useT();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [removing, setRemoving] = useState(false);
  const remove = useSubmit([], async () => {
    setRemoving(false);
    await deleteCompetition(queries, competition.id);
    navigate('/competitions?shelf=organised', { replace: true });
  });
  const upcoming = competition.status === 'upcoming';
  const invitation = competition.invite_only ? competition.invite_code : null;
  if (!invitation && !upcoming) return null;
  return (
    <section className="card" aria-labelledby="organiser-title">
      <h2 id="organiser-title">{t('competitions.organiser')}</h2>
      {invitation && <InviteLink id={competition.id} code={invitation} />}
      <FormError message={remove.formError} />
      {upcoming && (
        <button
          type="button"
          className="secondary"
          onClick={() => setRemoving(true)}
          disabled={remove.pending}
        >
          {t('competitions.delete')}
        </button>
      )}
      <ConfirmDialog
        open={removing}
        title={t('competitions.deleteTitle')}
        text={t('competitions.deleteText', { title: competition.title })}
        confirmLabel={t('competitions.delete')}
        danger
        onConfirm={() => remove.onSubmit()}
        onCancel={() => setRemoving(false)}
      />
    </section>
  );
}
