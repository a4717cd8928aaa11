import { Link, useSearchParams } from 'wouter';
import { useCompetitions, useIsOrganiser } from '../../api/competitions';
import type { Shelf } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { LoadMore } from '../../ui/LoadMore';
import { CompetitionItem } from './CompetitionItem';

const SHELVES: Shelf[] = ['joined', 'open', 'past', 'organised'];

/** `/competitions`: those entered, those open to enter, those finished, and for organisers their own. */
export default function Competitions() {
  const { t, language } = useI18n();
  const organiser = useIsOrganiser();
  const [params, setParams] = useSearchParams();
  const asked = params.get('shelf') as Shelf | null;
  const shelves = SHELVES.filter((shelf) => shelf !== 'organised' || organiser);
  const shelf = asked && shelves.includes(asked) ? asked : 'joined';
  const list = useCompetitions(shelf);
  const show = (next: Shelf) => setParams(next === 'joined' ? {} : { shelf: next }, { replace: true });
  return (
    <>
      <div className="heading-row">
        <h1>{t('competitions.title')}</h1>
        {organiser && (
          <Link href="/competitions/new" className="button">
            {t('competitions.create')}
          </Link>
        )}
      </div>
      <fieldset className="segmented fill">
        <legend className="visually-hidden">{t('competitions.show')}</legend>
        {shelves.map((value) => (
          <button key={value} type="button" aria-pressed={shelf === value} onClick={() => show(value)}>
            {t(`competitions.shelf.${value}`)}
          </button>
        ))}
      </fieldset>
      {list.isPending && <Loading />}
      {list.error && <div className="alert">{describe(list.error, t, language === 'en')}</div>}
      {list.isSuccess && list.competitions.length === 0 && (
        <div className="muted">
          <p>{t(`competitions.empty.${shelf}`)}</p>
          {shelf === 'joined' && (
            <button type="button" className="secondary" onClick={() => show('open')}>
              {t('competitions.seeOpen')}
            </button>
          )}
        </div>
      )}
      {list.competitions.length > 0 && (
        <ul className="list card competitions" data-testid="competitions">
          {list.competitions.map((competition) => (
            <CompetitionItem key={competition.id} competition={competition} />
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onMore={() => list.fetchNextPage()}
      />
      <p className="small">
        <Link href="/leaderboards">{t('leaderboards.link')}</Link>
      </p>
    </>
  );
}
