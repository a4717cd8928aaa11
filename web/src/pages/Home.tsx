import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { api } from '../api/client';
import { keys, useAccount, useUnits } from '../api/queries';
import type { Stats } from '../api/types';
import { useI18n, useT } from '../i18n';
import { formatDistance, formatDuration, formatElevation } from '../lib/units';
import { describe, Loading } from '../ui/forms';
import { Feed } from './feed/Feed';
import { FindPeople } from './feed/FindPeople';
import { useFollowsSomeone } from './feed/useFollowsSomeone';
import { RecentTrainings } from './workouts/RecentTrainings';

function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function thisWeek() {
  const today = new Date();
  const monday = new Date(today);
  monday.setDate(today.getDate() - ((today.getDay() + 6) % 7));
  return { from: isoDay(monday), to: isoDay(today) };
}

function WeekTotals() {
  const { t, locale, plural } = useI18n();
  const units = useUnits();
  const week = thisWeek();
  const offset = -new Date().getTimezoneOffset();
  const stats = useQuery({
    queryKey: [...keys.stats('week'), 'home', week.from],
    queryFn: () =>
      api<Stats>(`/api/v1/stats?period=week&from=${week.from}&to=${week.to}&utc_offset_minutes=${offset}`),
  });
  const total = stats.data?.periods.at(-1)?.total;
  return (
    <section aria-labelledby="week-title">
      <h2 id="week-title">{t('home.thisWeek')}</h2>
      <div className="tiles">
        <div className="tile">
          <div className="label">{t('stats.workouts')}</div>
          <div className="value" data-testid="week-workouts">
            {total ? plural('count.workouts', total.workouts) : '—'}
          </div>
        </div>
        <div className="tile">
          <div className="label">{t('stats.distance')}</div>
          <div className="value">{total ? formatDistance(total.distance_m, units, locale) : '—'}</div>
        </div>
        <div className="tile">
          <div className="label">{t('stats.time')}</div>
          <div className="value">{total ? formatDuration(total.duration_s) : '—'}</div>
        </div>
        <div className="tile">
          <div className="label">{t('stats.climb')}</div>
          <div className="value">{total ? formatElevation(total.elevation_gain_m, units, locale) : '—'}</div>
        </div>
      </div>
    </section>
  );
}

function VerifyReminder() {
  const { t, language } = useI18n();
  const account = useAccount();
  const [state, setState] = useState<string | null>(null);
  if (!account.data || account.data.email_verified) return null;
  const resend = () =>
    api('/api/v1/auth/verify/resend', { method: 'POST' })
      .then(() => setState(t('home.verifySent')))
      .catch((error) => setState(describe(error, t, language === 'en')));
  return (
    <div className="notice">
      {t('home.verifyReminder', { email: account.data.email })}{' '}
      <button type="button" className="link" onClick={resend}>
        {t('home.verifyResend')}
      </button>
      {state && <div role="status">{state}</div>}
    </div>
  );
}

/** Below the week: the feed once the person follows someone; else their trainings and a way to find people. */
function Trainings() {
  const t = useT();
  const me = useAccount().data?.id;
  const followsSomeone = useFollowsSomeone();
  if (followsSomeone === undefined || !me) return <Loading />;
  if (followsSomeone) return <Feed me={me} />;
  return (
    <>
      <FindPeople />
      <section aria-labelledby="recent-title">
        <h2 id="recent-title">{t('home.recent')}</h2>
        <RecentTrainings />
      </section>
    </>
  );
}

export function Home() {
  const t = useT();
  const account = useAccount();
  return (
    <>
      <h1>{account.data ? t('home.hello', { name: account.data.display_name }) : t('nav.home')}</h1>
      <VerifyReminder />
      <div className="actions" style={{ marginBottom: '0.5rem' }}>
        <Link href="/log" className="button">
          {t('home.log')}
        </Link>
        <Link href="/upload" className="button secondary">
          {t('home.upload')}
        </Link>
      </div>
      <WeekTotals />
      <Trainings />
    </>
  );
}
