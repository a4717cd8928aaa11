import { Link } from 'wouter';
import { useT } from '../../i18n';
import { RecentTrainings } from './RecentTrainings';

/** Only the person's own trainings, for those whose home is the feed. */
export default function MyTrainings() {
  const t = useT();
  return (
    <>
      <div className="heading-row">
        <h1>{t('trainings.title')}</h1>
        <Link href="/">{t('trainings.toFeed')}</Link>
      </div>
      <RecentTrainings />
    </>
  );
}
