import { useState } from 'react';
import { Link } from 'wouter';
import {
  GLOBAL_DISTANCES,
  type GlobalDistance,
  type GlobalPeriod,
  useLeaderboard,
  useLeaderboardPlace,
} from '../../api/competitions';
import { useSports } from '../../api/queries';
import { useI18n } from '../../i18n';
import { describe, Field, Loading } from '../../ui/forms';
import { LoadMore } from '../../ui/LoadMore';
import { useSportName } from '../workouts/sportName';
import { PlaceAround } from './PlaceAround';
import { StandingRow } from './StandingRow';

/** Kilometres of each distance, for the short labels on a phone. */
const KILOMETRES: Record<GlobalDistance, number> = {
  '1k': 1,
  '5k': 5,
  '10k': 10,
  half: 21.1,
  marathon: 42.2,
};

/** `/leaderboards`: everyone's fastest public 1 km … marathon per sport, all time or this year, and one's place. */
export default function Leaderboards() {
  const { t, language, locale } = useI18n();
  const sports = useSports();
  const sportName = useSportName();
  const [sport, setSport] = useState('running');
  const [distance, setDistance] = useState<GlobalDistance>('5k');
  const [period, setPeriod] = useState<GlobalPeriod>('all');
  const board = useLeaderboard(sport, distance, period);
  const place = useLeaderboardPlace(sport, distance, period);
  const onBoard = board.standings.some((standing) => standing.you);
  const short = (value: GlobalDistance) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: 'kilometer', unitDisplay: 'short' }).format(
      KILOMETRES[value],
    );
  const withDistance = (sports.data ?? []).filter((choice) => choice.has_distance);

  return (
    <>
      <h1>{t('leaderboards.title')}</h1>
      <p className="muted small">
        {t('leaderboards.explain')} <Link href="/records">{t('leaderboards.mine')}</Link>
      </p>
      <div className="pair">
        <Field label={t('field.sport')}>
          {(props) => (
            <select {...props} value={sport} onChange={(e) => setSport(e.target.value)}>
              {(withDistance.length > 0 ? withDistance : [{ id: 'running' }]).map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {sportName(choice.id)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="segmented fill">
        <legend className="visually-hidden">{t('leaderboards.distance')}</legend>
        {GLOBAL_DISTANCES.map((value) => (
          <button
            key={value}
            type="button"
            aria-pressed={distance === value}
            onClick={() => setDistance(value)}
          >
            {value === 'half' || value === 'marathon' ? (
              <>
                <span className="wide-only">{t(`effort.${value}`)}</span>
                <span className="narrow-only">{short(value)}</span>
              </>
            ) : (
              t(`effort.${value}`)
            )}
          </button>
        ))}
      </fieldset>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('leaderboards.period')}</legend>
        {(['all', 'year'] as const).map((value) => (
          <button key={value} type="button" aria-pressed={period === value} onClick={() => setPeriod(value)}>
            {t(`leaderboards.period.${value}`)}
          </button>
        ))}
      </fieldset>
      <PlaceAround around={place.data} kind="fastest" onBoard={onBoard} />
      {board.isPending && <Loading />}
      {board.error && <div className="alert">{describe(board.error, t, language === 'en')}</div>}
      {board.isSuccess && board.standings.length === 0 && (
        <p className="muted">
          {t('leaderboards.empty', { distance: t(`effort.${distance}`), sport: sportName(sport) })}
        </p>
      )}
      {board.standings.length > 0 && (
        <ol className="list card board" data-testid="leaderboard">
          {board.standings.map((standing) => (
            <StandingRow key={standing.person.id} standing={standing} kind="fastest" />
          ))}
        </ol>
      )}
      <LoadMore
        hasMore={board.hasNextPage}
        loading={board.isFetchingNextPage}
        onMore={() => board.fetchNextPage()}
      />
    </>
  );
}
