import { Link } from 'wouter';
import { useIsAdmin } from '../../api/moderation';
import { useAccount } from '../../api/queries';
import { useT } from '../../i18n';

/** Where the person's social side is kept: their profile, requests, blocks, reports (and the queue). */
export function People() {
  const t = useT();
  const me = useAccount().data?.id;
  const admin = useIsAdmin();
  return (
    <section className="card" aria-labelledby="people-title">
      <h2 id="people-title" style={{ marginTop: 0 }}>
        {t('settings.people')}
      </h2>
      <ul className="link-list">
        {me && (
          <li>
            <Link href={`/people/${me}`}>{t('settings.myProfile')}</Link>
          </li>
        )}
        <li>
          <Link href="/settings/profile">{t('about.title')}</Link>
        </li>
        <li>
          <Link href="/people">{t('people.findTitle')}</Link>
        </li>
        <li>
          <Link href="/follow-requests">{t('requests.title')}</Link>
        </li>
        <li>
          <Link href="/settings/blocked">{t('block.listTitle')}</Link>
        </li>
        <li>
          <Link href="/reports">{t('reports.title')}</Link>
        </li>
        {admin && (
          <li>
            <Link href="/moderation">{t('moderation.title')}</Link>
          </li>
        )}
      </ul>
    </section>
  );
}
