import { useT } from '../../i18n';
import { SearchForm } from '../people/SearchForm';

/** What the home shows while the feed has nobody else's trainings: how to find people to follow. */
export function FindPeople() {
  const t = useT();
  return (
    <section className="card find-people" aria-labelledby="find-people-title">
      <h2 id="find-people-title">{t('people.findTitle')}</h2>
      <p className="muted">{t('people.findHint')}</p>
      <SearchForm />
    </section>
  );
}
