import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'wouter';
import { removeFollower } from '../../api/follows';
import { useFollowList, usePerson } from '../../api/people';
import { useAccount } from '../../api/queries';
import type { Person } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { PeopleList } from './PeopleList';

type Which = 'followers' | 'following';

/** Someone's followers or the people they follow; on one's own followers, removing one (asked first). */
export default function FollowList({ id, which }: { id: string; which: Which }) {
  const t = useT();
  const queries = useQueryClient();
  const name = usePerson(id).data?.display_name;
  const mine = useAccount().data?.id === id;
  const list = useFollowList(id, which);
  const [removing, setRemoving] = useState<Person | null>(null);
  const remove = useSubmit([], async () => {
    if (!removing) return;
    const person = removing;
    setRemoving(null);
    await removeFollower(queries, person.id);
  });
  const ownFollowers = mine && which === 'followers';
  return (
    <>
      <div className="heading-row">
        <h1>{mine ? t(`person.${which}Mine`) : t(`person.${which}Of`, { name: name ?? '…' })}</h1>
        <Link href={`/people/${id}`}>{t('person.back')}</Link>
      </div>
      <FormError message={remove.formError} />
      <PeopleList
        people={list.people}
        query={list}
        empty={t(`person.${which}None`)}
        testId={which}
        actions={
          ownFollowers
            ? (person) => (
                <button type="button" className="secondary small-button" onClick={() => setRemoving(person)}>
                  {t('common.remove')}
                </button>
              )
            : undefined
        }
      />
      <ConfirmDialog
        open={removing !== null}
        title={t('person.removeTitle', { name: removing?.display_name ?? '' })}
        text={t('person.removeText')}
        confirmLabel={t('common.remove')}
        onConfirm={() => remove.onSubmit()}
        onCancel={() => setRemoving(null)}
      />
    </>
  );
}
