import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { useBoardPlace, useCompetition } from '../../api/competitions';
import { keys } from '../../api/queries';
import { useTopic } from '../../api/realtime';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { Board } from './Board';
import { CompetitionHeader } from './CompetitionHeader';
import { EntryPanel } from './EntryPanel';
import { OrganiserPanel } from './OrganiserPanel';
import { TeamBoard } from './TeamBoard';

type Tab = 'board' | 'teams';

/** Refetches at most this often however fast the board changes (a surge of finishers). */
const LIVE_EVERY_MS = 1000;

/**
 * What changed on a board is fetched again at once, then at most once a
 * second while changes keep coming.
 */
function useCoalesced(run: () => void): () => void {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + LIVE_EVERY_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      last.current = Date.now();
      run();
    }, wait);
  }, [run]);
}

/** `/competitions/:id` (`?code=` for an invitation): the competition, one's entry, its live board and teams. */
export default function CompetitionPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const code = new URLSearchParams(useSearch()).get('code') ?? undefined;
  const competition = useCompetition(id, code);
  const entered = Boolean(competition.data?.your_entry);
  const place = useBoardPlace(id, {}, entered, code);
  const [tab, setTab] = useState<Tab>('board');
  const refresh = useCoalesced(
    useCallback(() => queries.invalidateQueries({ queryKey: keys.competition(id) }), [queries, id]),
  );
  const live = useTopic(competition.data ? `competition:${id}` : undefined, refresh);

  if (competition.isPending) return <Loading />;
  if (competition.error || !competition.data) {
    return (
      <>
        <h1>{t('competitions.notFound')}</h1>
        <div className="alert">{describe(competition.error, t, language === 'en')}</div>
        <Link href="/competitions">{t('competitions.back')}</Link>
      </>
    );
  }
  const shown = competition.data;
  return (
    <>
      <p className="small back-link">
        <Link href="/competitions">{t('competitions.back')}</Link>
      </p>
      <CompetitionHeader competition={shown} />
      <EntryPanel competition={shown} code={code} place={place.data?.place} />
      {shown.you_run_it && <OrganiserPanel competition={shown} />}
      <div className="heading-row board-heading">
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('competitions.show')}</legend>
          {(['board', 'teams'] as const).map((value) => (
            <button key={value} type="button" aria-pressed={tab === value} onClick={() => setTab(value)}>
              {t(`competitions.tab.${value}`)}
            </button>
          ))}
        </fieldset>
        {live && shown.status === 'running' && (
          <span className="badge live-badge" data-phase="running" data-testid="live">
            {t('competitions.live')}
          </span>
        )}
      </div>
      {tab === 'board' ? <Board competition={shown} code={code} /> : <TeamBoard competition={shown} />}
    </>
  );
}
