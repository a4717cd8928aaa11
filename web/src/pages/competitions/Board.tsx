import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  type BoardFilters as Filters,
  judge,
  useBoard,
  useBoardPlace,
  useTeams,
} from '../../api/competitions';
import type { Competition, Person } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, FormError, Loading } from '../../ui/forms';
import { LoadMore } from '../../ui/LoadMore';
import { MenuButton } from '../../ui/MenuButton';
import { useSubmit } from '../../ui/useSubmit';
import { BoardFilters } from './BoardFilters';
import { DisqualifyDialog } from './DisqualifyDialog';
import { PlaceAround } from './PlaceAround';
import { StandingRow } from './StandingRow';

interface Props {
  competition: Competition;
  code?: string;
}

/**
 * The competition's board, best first, narrowed by the filters, with the
 * person's own place and neighbours; an organiser disqualifies a line from
 * its menu and may take that back while still on the page.
 */
export function Board({ competition, code }: Props) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const board = useBoard(competition.id, filters, code);
  const teams = useTeams(competition.id);
  const place = useBoardPlace(competition.id, filters, Boolean(competition.your_entry), code);
  const [disqualifying, setDisqualifying] = useState<Person | null>(null);
  // Disqualified during this visit: the board no longer shows them, so they are listed to reinstate.
  const [judged, setJudged] = useState<Person[]>([]);
  const reinstate = useSubmit<Person>([], async (person) => {
    await judge(queries, competition.id, person.id);
    setJudged((people) => people.filter((other) => other.id !== person.id));
  });
  const teamName = (id: string | null | undefined) => teams.data?.find((team) => team.id === id)?.name;
  const filtered = Object.keys(filters).length > 0;
  const onBoard = board.standings.some((standing) => standing.you);

  return (
    <section aria-labelledby="board-title" className="board-section">
      <h2 id="board-title" className="visually-hidden">
        {t('competitions.tab.board')}
      </h2>
      <BoardFilters filters={filters} onChange={setFilters} teams={teams.data ?? []} />
      <PlaceAround around={place.data} kind={competition.kind} onBoard={onBoard} teamName={teamName} />
      {judged.length > 0 && (
        <div className="success judged" role="status">
          {judged.map((person) => (
            <p key={person.id}>
              {t('competitions.disqualifiedSomeone', { name: person.display_name })}{' '}
              <button
                type="button"
                className="link"
                onClick={() => reinstate.run(person)}
                disabled={reinstate.pending}
              >
                {t('competitions.reinstate')}
              </button>
            </p>
          ))}
        </div>
      )}
      <FormError message={reinstate.formError} />
      {board.isPending && <Loading />}
      {board.error && <div className="alert">{describe(board.error, t, language === 'en')}</div>}
      {board.isSuccess && board.standings.length === 0 && (
        <p className="muted">{filtered ? t('competitions.boardNoneMatch') : t('competitions.boardEmpty')}</p>
      )}
      {board.standings.length > 0 && (
        <ol className="list card board" data-testid="board">
          {board.standings.map((standing) => (
            <StandingRow
              key={standing.person.id}
              standing={standing}
              kind={competition.kind}
              team={teamName(standing.team_id)}
              actions={
                competition.you_run_it ? (
                  <MenuButton label={t('competitions.lineMenu', { name: standing.person.display_name })}>
                    <button
                      type="button"
                      className="plain danger-text"
                      onClick={() => setDisqualifying(standing.person)}
                    >
                      {t('competitions.disqualify')}
                    </button>
                  </MenuButton>
                ) : undefined
              }
            />
          ))}
        </ol>
      )}
      <LoadMore
        hasMore={board.hasNextPage}
        loading={board.isFetchingNextPage}
        onMore={() => board.fetchNextPage()}
      />
      <DisqualifyDialog
        competitionId={competition.id}
        person={disqualifying}
        onClose={() => setDisqualifying(null)}
        onDone={(person) => {
          setDisqualifying(null);
          setJudged((people) => [...people.filter((other) => other.id !== person.id), person]);
        }}
      />
    </section>
  );
}
