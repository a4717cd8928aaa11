import { useSearch } from 'wouter';
import { usePeopleSearch } from '../../api/people';
import { useT } from '../../i18n';
import { PeopleList } from './PeopleList';
import { SearchForm } from './SearchForm';

/** Finding people by name: `/people?q=words`. */
export default function PeopleSearch() {
  const t = useT();
  const words = new URLSearchParams(useSearch()).get('q') ?? '';
  const search = usePeopleSearch(words);
  return (
    <>
      <h1>{t('people.findTitle')}</h1>
      <SearchForm key={words} initial={words} />
      {words.trim() ? (
        <PeopleList
          people={search.people}
          query={search}
          empty={t('people.nobody', { words })}
          testId="people-found"
        />
      ) : (
        <p className="muted">{t('people.findHint')}</p>
      )}
    </>
  );
}
