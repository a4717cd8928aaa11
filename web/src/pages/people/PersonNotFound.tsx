import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'wouter';
import { setBlocked, useBlocks } from '../../api/follows';
import { useT } from '../../i18n';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { SearchForm } from './SearchForm';

/**
 * A profile the server does not show: someone the person blocked (they may
 * unblock them here), or someone unknown or who blocked them (the server
 * does not say which, and neither does this page).
 */
export function PersonNotFound({ id }: { id: string }) {
  const t = useT();
  const queries = useQueryClient();
  const blocked = useBlocks().data?.find((person) => person.id === id);
  const unblock = useSubmit([], () => setBlocked(queries, id, false));
  if (blocked) {
    return (
      <>
        <h1>{blocked.display_name}</h1>
        <p>{t('block.blocked', { name: blocked.display_name })}</p>
        <FormError message={unblock.formError} />
        <button
          type="button"
          className="secondary"
          disabled={unblock.pending}
          onClick={() => unblock.onSubmit()}
        >
          {t('block.unblock')}
        </button>
      </>
    );
  }
  return (
    <>
      <h1>{t('person.notFoundTitle')}</h1>
      <p>{t('person.notFoundText')}</p>
      <SearchForm />
      <p>
        <Link href="/">{t('nav.home')}</Link>
      </p>
    </>
  );
}
