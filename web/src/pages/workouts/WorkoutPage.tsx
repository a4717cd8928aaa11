import { lazy, Suspense, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { download } from '../../api/client';
import { useAccount, useLoggedIn, useUnits } from '../../api/queries';
import type { Owner, Split, Workout } from '../../api/types';
import { deleteTraining, type LocalWorkout, useTraining } from '../../api/workouts';
import { type Key, useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { useOnline } from '../../lib/online';
import {
  distanceUnit,
  effortKey,
  formatDistance,
  formatDuration,
  formatElevation,
  formatPace,
  formatSpeed,
  usesPace,
} from '../../lib/units';
import { Avatar } from '../../ui/Avatar';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, Loading } from '../../ui/forms';
import { OnlineOnly } from '../../ui/OnlineOnly';
import { ReportButton } from '../moderation/ReportButton';
import { Reactions } from '../reactions/Reactions';
import { Photos } from './Photos';
import { useSportName } from './sportName';
import { UsedEquipment } from './UsedEquipment';

const WorkoutMap = lazy(() => import('./WorkoutMap'));
const WorkoutCharts = lazy(() => import('./WorkoutCharts'));

function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="tile">
      <div className="label">{label}</div>
      <div className="value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function Numbers({ workout }: { workout: Workout }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const pace = usesPace(workout.sport);
  return (
    <div className="tiles">
      {workout.distance_m != null && (
        <Tile
          label={t('stats.distance')}
          value={formatDistance(workout.distance_m, units, locale)}
          testId="distance"
        />
      )}
      <Tile label={t('workout.duration')} value={formatDuration(workout.duration_s)} />
      {workout.moving_s != null && (
        <Tile label={t('workout.moving')} value={formatDuration(workout.moving_s)} />
      )}
      {workout.average_speed_mps != null && (
        <Tile
          label={pace ? t('workout.avgPace') : t('workout.avgSpeed')}
          value={
            pace
              ? formatPace(workout.average_speed_mps, units, locale)
              : formatSpeed(workout.average_speed_mps, units, locale)
          }
        />
      )}
      {workout.elevation_gain_m != null && (
        <Tile label={t('stats.climb')} value={formatElevation(workout.elevation_gain_m, units, locale)} />
      )}
      {workout.average_heart_rate != null && (
        <Tile
          label={t('workout.avgHeartRate')}
          value={`${Math.round(workout.average_heart_rate)} ${t('unit.bpm')}`}
        />
      )}
    </div>
  );
}

/** At most about this many rows of splits: a long ride's splits are grouped. */
const MAX_SPLIT_ROWS = 25;
const GROUP_SIZES = [1, 5, 10, 25, 50];

interface SplitRow {
  key: number;
  /** Where the row starts and ends, in whole units (km or mi). */
  from: number;
  to: number;
  distance_m: number;
  /** Null when any split in the row is untimed. */
  seconds: number | null;
}

/** Consecutive splits added up in groups of `size` (1 keeps them as they are); `unit` is a km or a mile in metres. */
function groupSplits(splits: Split[], size: number, unit: number): SplitRow[] {
  const rows: SplitRow[] = [];
  let from = 0;
  for (let i = 0; i < splits.length; i += size) {
    const group = splits.slice(i, i + size);
    const distance = group.reduce((sum, s) => sum + s.distance_m, 0);
    const seconds = group.some((s) => s.seconds == null)
      ? null
      : group.reduce((sum, s) => sum + (s.seconds ?? 0), 0);
    const to = from + distance / unit;
    rows.push({ key: i, from, to, distance_m: distance, seconds });
    from = to;
  }
  return rows;
}

function Splits({ splits, sport }: { splits: Split[]; sport: string }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const pace = usesPace(sport);
  // Offered: every split, the first grouping that fits, and one coarser.
  const fitting = GROUP_SIZES.find((size) => Math.ceil(splits.length / size) <= MAX_SPLIT_ROWS) ?? 50;
  const coarser = GROUP_SIZES.find((size) => size > fitting && Math.ceil(splits.length / size) >= 2);
  const sizes = fitting === 1 ? [1] : [1, fitting, ...(coarser ? [coarser] : [])];
  const [chosen, setChosen] = useState<number | null>(null);
  const size = chosen ?? fitting;
  if (splits.length === 0) return null;
  const rows = groupSplits(splits, size, units === 'imperial' ? 1609.344 : 1000);
  const fastest = Math.min(...rows.flatMap((s) => (s.seconds == null ? [] : [s.seconds / s.distance_m])));
  const unit = distanceUnit(units, locale);
  const number = (value: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  return (
    <section aria-labelledby="splits-title">
      <h2 id="splits-title">{t('workout.splits')}</h2>
      {sizes.length > 1 && (
        <fieldset className="segmented">
          <legend className="visually-hidden">{t('workout.splitsEvery')}</legend>
          {sizes.map((s) => (
            <button key={s} type="button" aria-pressed={size === s} onClick={() => setChosen(s)}>
              {`${s} ${unit}`}
            </button>
          ))}
        </fieldset>
      )}
      <table data-testid="splits">
        <thead>
          <tr>
            <th scope="col">{unit}</th>
            <th scope="col">{pace ? t('workout.pace') : t('workout.speed')}</th>
            <th scope="col" style={{ width: '45%' }}>
              <span className="visually-hidden">{t('workout.relative')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            // Untimed (a file with gaps in its times): no speed is made up.
            const speed = row.seconds == null ? null : row.distance_m / row.seconds;
            return (
              <tr key={row.key}>
                <td>{size === 1 ? row.key + 1 : `${number(row.from)}–${number(row.to)}`}</td>
                <td>
                  {speed == null
                    ? '—'
                    : pace
                      ? formatPace(speed, units, locale)
                      : formatSpeed(speed, units, locale)}
                </td>
                <td>
                  {row.seconds != null && (
                    <div
                      className="bar"
                      style={{ width: `${(fastest / (row.seconds / row.distance_m)) * 100}%` }}
                    />
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Whose training this is, for anyone but its owner; their profile is a link for someone logged in. */
function OwnerLine({ owner }: { owner: Owner }) {
  const { t } = useI18n();
  const loggedIn = useLoggedIn();
  const by = (
    <>
      <Avatar person={owner} />
      <span>{t('workout.by', { name: owner.display_name })}</span>
    </>
  );
  return (
    <p className="owner" data-testid="owner">
      {loggedIn ? (
        <Link href={`/people/${owner.id}`} className="person-link">
          {by}
        </Link>
      ) : (
        by
      )}
    </p>
  );
}

function Efforts({ workout }: { workout: Workout }) {
  const { t } = useI18n();
  const efforts = workout.analysis?.best_efforts ?? [];
  if (efforts.length === 0) return null;
  return (
    <section aria-labelledby="efforts-title">
      <h2 id="efforts-title">{t('workout.bestEfforts')}</h2>
      <table>
        <tbody>
          {efforts.map((effort) => (
            <tr key={effort.distance_m}>
              <th scope="row">{t(effortKey(effort.distance_m) as Key)}</th>
              <td>{formatDuration(effort.seconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Whether a change of this training waits on the device, or was refused by the server (and why). */
function LocalState({ workout }: { workout: LocalWorkout }) {
  const { t } = useI18n();
  if (workout.refused) {
    return (
      <div className="alert" role="alert" data-testid="training-refused">
        {t('sync.refusedHere', {
          reason: workout.refused.detail || workout.refused.title || workout.refused.type,
        })}
      </div>
    );
  }
  if (!workout.waiting) return null;
  return (
    <p className="small badge waiting-here" role="status" data-testid="training-waiting">
      {t('sync.waitsHere')}
    </p>
  );
}

export default function WorkoutPage({ id }: { id: string }) {
  const { t, locale, language } = useI18n();
  const units = useUnits();
  const account = useAccount();
  const loggedIn = useLoggedIn();
  const online = useOnline();
  const sportName = useSportName();
  const [, navigate] = useLocation();
  const training = useTraining(id);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const w = training.workout;
  if (!w && training.isPending) return <Loading />;
  if (!w) {
    if (training.deleted) {
      return (
        <p className="muted">
          {t('sync.deletedHere')} <Link href="/">{t('nav.home')}</Link>
        </p>
      );
    }
    if (!online && !training.error) return <OnlineOnly text={t('sync.trainingOffline')} />;
    return <div className="alert">{describe(training.error, t, language === 'en')}</div>;
  }
  const mine = training.mine || (account.data !== undefined && w.user_id === account.data.id);
  const local = training.mine ? (w as LocalWorkout) : undefined;
  const onServer = local ? local.onServer : true;
  const analysis = w.analysis;
  const splits = units === 'imperial' ? analysis?.splits_mile : analysis?.splits_km;
  // A training from a file has a map, charts and splits on the server; one typed by hand has none.
  const analysisMissing = Boolean(w.file) && !training.fetched;

  const remove = async () => {
    setConfirming(false);
    try {
      await deleteTraining(w);
      navigate('/', { replace: true });
    } catch (error) {
      setFailure(describe(error, t, language === 'en'));
    }
  };
  const save = (path: string, name: string) =>
    download(path, name).catch((error) => setFailure(describe(error, t, language === 'en')));

  return (
    <article>
      <h1>{w.title || sportName(w.sport)}</h1>
      {!mine && w.owner && <OwnerLine owner={w.owner} />}
      <p className="muted">
        {sportName(w.sport)} · {formatDateTime(w.started_at, locale)} · {t(`privacy.${w.privacy}`)}
      </p>
      {local && <LocalState workout={local} />}
      {failure && (
        <div className="alert" role="alert">
          {failure}
        </div>
      )}
      {w.state === 'processing' && (
        <div className="notice" role="status">
          {t('workout.processing')}
        </div>
      )}
      {w.state === 'failed' && (
        <div className="alert" role="alert">
          {t('workout.failed', { reason: w.failure ?? '' })}
        </div>
      )}
      <Numbers workout={w} />
      {mine && <UsedEquipment ids={w.equipment_ids ?? []} />}
      {w.notes && (
        <p style={{ whiteSpace: 'pre-wrap' }} data-testid="notes">
          {w.notes}
        </p>
      )}
      {analysisMissing && !online && <OnlineOnly text={t('sync.analysisOffline')} />}
      {analysisMissing && online && training.fetching && <Loading />}
      <Suspense fallback={<Loading />}>
        {analysis && analysis.shape.length > 0 && (
          <section aria-labelledby="map-title">
            <h2 id="map-title">{t('workout.map')}</h2>
            <WorkoutMap shape={analysis.shape} />
          </section>
        )}
        {analysis && analysis.series.length > 1 && (
          <WorkoutCharts samples={analysis.series} sport={w.sport} />
        )}
      </Suspense>
      {splits && <Splits splits={splits} sport={w.sport} />}
      <Efforts workout={w} />
      {online && onServer && <Photos workoutId={w.id} mine={mine} />}
      {mine && !online && <OnlineOnly text={t('sync.photosOffline')} />}
      {mine && online && !onServer && <OnlineOnly text={t('sync.photosAfterSend')} />}
      {/* Nobody else sees one's private training: nobody to cheer or comment. */}
      {loggedIn &&
        !(mine && w.privacy === 'private') &&
        (online && onServer ? (
          <Reactions workoutId={w.id} ownerId={w.user_id} />
        ) : (
          <OnlineOnly text={t('sync.reactionsOffline')} />
        ))}
      <div className="actions" style={{ marginTop: '1.5rem' }}>
        {mine && (
          <Link href={`/workouts/${w.id}/edit`} className="button secondary">
            {t('workout.edit')}
          </Link>
        )}
        {w.file && (
          <>
            <button
              type="button"
              className="secondary"
              disabled={!online}
              onClick={() => save(`/api/v1/workouts/${w.id}/gpx`, `${w.id}.gpx`)}
            >
              {t('workout.downloadGpx')}
            </button>
            {mine && (
              <button
                type="button"
                className="secondary"
                disabled={!online}
                onClick={() => save(`/api/v1/workouts/${w.id}/original`, w.file?.name ?? 'original')}
              >
                {t('workout.downloadOriginal')}
              </button>
            )}
          </>
        )}
        {mine && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('workout.delete')}
          </button>
        )}
        {loggedIn && !mine && (
          <ReportButton subject="training" id={w.id} label={t('report.training')} className="secondary" />
        )}
      </div>
      {mine && (
        <ConfirmDialog
          open={confirming}
          title={t('workout.deleteTitle')}
          text={t('workout.deleteConfirm')}
          confirmLabel={t('workout.delete')}
          danger
          onConfirm={remove}
          onCancel={() => setConfirming(false)}
        />
      )}
    </article>
  );
}
