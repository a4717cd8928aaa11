import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createTeam, enter, useTeams } from '../../api/competitions';
import type { Competition } from '../../api/types';
import { useI18n } from '../../i18n';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';
import { inOwnWords } from './problems';

/** The team choice that makes a new team. */
const NEW_TEAM = '+new';

interface Props {
  open: boolean;
  competition: Competition;
  /** The invitation code the page was opened with. */
  code?: string;
  onClose: () => void;
}

/** Entering a competition, or changing the entry: a team (or a new one), private entry, being told when overtaken. */
export function JoinDialog({ open, competition, code, onClose }: Props) {
  const { t } = useI18n();
  const entered = Boolean(competition.your_entry);
  return (
    <Modal
      open={open}
      title={
        entered
          ? t('competitions.changeEntryTitle')
          : t('competitions.joinTitle', { title: competition.title })
      }
      onClose={onClose}
    >
      <JoinForm competition={competition} code={code} onClose={onClose} />
    </Modal>
  );
}

function JoinForm({ competition, code, onClose }: Omit<Props, 'open'>) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const teams = useTeams(competition.id);
  const entry = competition.your_entry;
  const [team, setTeam] = useState(entry?.team_id ?? '');
  const [teamName, setTeamName] = useState('');
  const [privately, setPrivately] = useState(entry?.private_entry ?? false);
  const [tellOvertaken, setTellOvertaken] = useState(entry?.tell_overtaken ?? false);
  const words = { name: t('competitions.teamNameInvalid'), team_id: t('competitions.teamGone') };

  const form = useSubmit(['name', 'team_id'], async () => {
    const choice = { code: code || null, private_entry: privately, tell_overtaken: tellOvertaken };
    await inOwnWords(
      async () => {
        if (team === NEW_TEAM) {
          const name = teamName.trim();
          if (!name) throw new Invalid('name', t('competitions.teamNameMissing'));
          // A team is made by those who entered: enter first, then join the new team.
          if (!entry) await enter(queries, competition.id, { ...choice, team_id: null });
          const made = await createTeam(queries, competition.id, name);
          await enter(queries, competition.id, { ...choice, team_id: made.id });
        } else {
          await enter(queries, competition.id, { ...choice, team_id: team || null });
        }
      },
      words,
      language === 'en',
    );
    onClose();
  });

  return (
    <form onSubmit={form.onSubmit} noValidate data-testid="join-form">
      <FormError message={form.formError} />
      <Field label={t('competitions.team')} error={form.fieldError('team_id')}>
        {(props) => (
          <select {...props} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{t('competitions.noTeam')}</option>
            {(teams.data ?? []).map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.name}
              </option>
            ))}
            <option value={NEW_TEAM}>{t('competitions.newTeam')}</option>
          </select>
        )}
      </Field>
      {team === NEW_TEAM && (
        <TextField
          label={t('competitions.teamName')}
          value={teamName}
          onChange={setTeamName}
          error={form.fieldError('name')}
        />
      )}
      <label className="check">
        <input type="checkbox" checked={privately} onChange={(e) => setPrivately(e.target.checked)} />
        {t('competitions.privateEntry')}
      </label>
      <p className="hint-under">{t('competitions.privateEntryHint')}</p>
      <label className="check">
        <input type="checkbox" checked={tellOvertaken} onChange={(e) => setTellOvertaken(e.target.checked)} />
        {t('competitions.tellOvertaken')}
      </label>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={form.pending}>
          {entry ? t('common.save') : t('competitions.join')}
        </button>
      </div>
    </form>
  );
}
