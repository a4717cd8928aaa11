import type { ReactNode } from 'react';
import type { Person } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { LoadMore } from '../../ui/LoadMore';
import { PersonRow } from './PersonRow';

interface Props {
  people: Person[];
  query: {
    isPending: boolean;
    isSuccess: boolean;
    error: unknown;
    hasNextPage?: boolean;
    isFetchingNextPage?: boolean;
    fetchNextPage?: () => unknown;
  };
  /** Said when the list is empty. */
  empty: string;
  /** What may be done beside each person. */
  actions?: (person: Person) => ReactNode;
  testId?: string;
}

/** A list of people as the server pages it: loading, failure, nobody, or the rows and the next page. */
export function PeopleList({ people, query, empty, actions, testId }: Props) {
  const { t, language } = useI18n();
  return (
    <>
      {query.isPending && <Loading />}
      {query.error ? <div className="alert">{describe(query.error, t, language === 'en')}</div> : null}
      {query.isSuccess && people.length === 0 && <p className="muted">{empty}</p>}
      {people.length > 0 && (
        <ul className="list card people" data-testid={testId}>
          {people.map((person) => (
            <PersonRow key={person.id} person={person}>
              {actions?.(person)}
            </PersonRow>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={Boolean(query.hasNextPage)}
        loading={Boolean(query.isFetchingNextPage)}
        onMore={() => query.fetchNextPage?.()}
      />
    </>
  );
}
