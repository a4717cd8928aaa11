import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { leave, useTeams } from '../../api/competitions';
import type { Competition } from '../../api/types';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { JoinDialog } from './JoinDialog';
import { useScoreText } from './wording';

interface Props {
  competition: Competition;
  code?: string;
  /** The person's place on the whole board, once known; none without a result. */
  place?: number | null;
}

/** Joining, or one's entry: result, place, team, what was chosen, a disqualification, and leaving. */
export function EntryPanel({ competition, code, place }: Props) {
  const { t, plural } = useI18n();
  const queries = useQueryClient();
  const scoreText = useScoreText();
  const entry = competition.your_entry;
  const teams = useTeams(competition.id, Boolean(entry?.team_id));
  const [joining, setJoining] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const finished = competition.status === 'finished';
  const quit = useSubmit([], async () => {
    setLeaving(false);
    await leave(queries, competition.id);
  });
  const full = competition.entry_limit != null && competition.entrants >= competition.entry_limit;

  if (!entry) {
    if (finished) return null;
    return (
      <section className="card entry-panel" aria-labelledby="entry-title">
        <h2 id="entry-title">{t('competitions.joinHeading')}</h2>
        <p className="muted small">{t(`competitions.joinHint.${competition.kind}`)}</p>
        <FormError message={quit.formError} />
        <button type="button" onClick={() => setJoining(true)} disabled={full}>
          {t('competitions.join')}
        </button>
        {full && <p className="muted small">{t('competitions.full')}</p>}
        <JoinDialog open={joining} competition={competition} code={code} onClose={() => setJoining(false)} />
      </section>
    );
  }

  const teamName = teams.data?.find((team) => team.id === entry.team_id)?.name;
  const choices = [
    entry.team_id ? t('competitions.inTeam', { name: teamName ?? '…' }) : null,
    entry.private_entry ? t('competitions.enteredPrivately') : null,
    entry.tell_overtaken ? t('competitions.toldWhenOvertaken') : null,
  ].filter((choice) => choice !== null);
  return (
    <section className="card entry-panel" aria-labelledby="entry-title" data-testid="my-entry">
      <h2 id="entry-title">{t('competitions.yourEntry')}</h2>
      {entry.disqualified && (
        <div className="alert" role="status">
          {t('competitions.disqualifiedYou', { reason: entry.disqualification_reason ?? '' })}
        </div>
      )}
      <dl className="entry-numbers">
        <div>
          <dt>{t('competitions.result')}</dt>
          <dd data-testid="my-score">{scoreText(competition.kind, entry.score)}</dd>
        </div>
        <div>
          <dt>{t('competitions.place')}</dt>
          <dd data-testid="my-place">{place != null && !entry.disqualified ? place : '—'}</dd>
        </div>
        {competition.kind !== 'trainings' && (
          <div>
            <dt>{t('competitions.counted')}</dt>
            <dd>{plural('competitions.trainings', entry.trainings)}</dd>
          </div>
        )}
      </dl>
      {choices.length > 0 && <p className="small muted">{choices.join(' · ')}</p>}
      {entry.score == null && !finished && <p className="small">{t('competitions.noResultYet')}</p>}
      <FormError message={quit.formError} />
      {!finished && (
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setJoining(true)}>
            {t('competitions.changeEntry')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => setLeaving(true)}
            disabled={quit.pending}
          >
            {t('competitions.leave')}
          </button>
        </div>
      )}
      <JoinDialog open={joining} competition={competition} code={code} onClose={() => setJoining(false)} />
      <ConfirmDialog
        open={leaving}
        title={t('competitions.leaveTitle')}
        text={t('competitions.leaveText')}
        confirmLabel={t('competitions.leave')}
        danger
        onConfirm={() => quit.onSubmit()}
        onCancel={() => setLeaving(false)}
      />
    </section>
  );
}
