import { useQueryClient } from '@tanstack/react-query';
import { setBlocked, useBlocks } from '../../api/follows';
import { useT } from '../../i18n';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { PeopleList } from './PeopleList';

/** The people the person blocked, newest first, each with a way to unblock. */
export default function BlockedPeople() {
  const t = useT();
  const queries = useQueryClient();
  const blocks = useBlocks();
  const unblock = useSubmit<string>([], (id) => setBlocked(queries, id, false));
  return (
    <>
      <h1>{t('block.listTitle')}</h1>
      <p className="muted">{t('block.explain')}</p>
      <FormError message={unblock.formError} />
      <PeopleList
        people={blocks.data ?? []}
        query={blocks}
        empty={t('block.none')}
        testId="blocked"
        actions={(person) => (
          <button
            type="button"
            className="secondary small-button"
            disabled={unblock.pending}
            onClick={() => unblock.run(person.id)}
          >
            {t('block.unblock')}
          </button>
        )}
      />
    </>
  );
}
