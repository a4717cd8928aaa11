import { useQueryClient } from '@tanstack/react-query';
import { answerRequest } from '../../api/follows';
import { useFollowRequests } from '../../api/people';
import { useT } from '../../i18n';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { PeopleList } from './PeopleList';

/** The people asking to follow the person (a private profile): approve or refuse, unbeknown to them. */
export default function FollowRequests() {
  const t = useT();
  const queries = useQueryClient();
  const requests = useFollowRequests();
  const answer = useSubmit<{ id: string; approve: boolean }>([], ({ id, approve }) =>
    answerRequest(queries, id, approve),
  );
  return (
    <>
      <h1>{t('requests.title')}</h1>
      <p className="muted">{t('requests.explain')}</p>
      <FormError message={answer.formError} />
      <PeopleList
        people={requests.people}
        query={requests}
        empty={t('requests.none')}
        testId="follow-requests"
        actions={(person) => (
          <>
            <button
              type="button"
              className="small-button"
              disabled={answer.pending}
              onClick={() => answer.run({ id: person.id, approve: true })}
            >
              {t('requests.approve')}
            </button>
            <button
              type="button"
              className="secondary small-button"
              disabled={answer.pending}
              onClick={() => answer.run({ id: person.id, approve: false })}
            >
              {t('requests.refuse')}
            </button>
          </>
        )}
      />
    </>
  );
}
