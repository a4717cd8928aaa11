import { Link } from 'wouter';
import { usePerson } from '../../api/people';
import { useAccount } from '../../api/queries';
import { useT } from '../../i18n';

/** Someone known only by id, named as the viewer may see them (or "you"), linking to their profile. */
export function PersonName({ id }: { id: string }) {
  const t = useT();
  const mine = useAccount().data?.id === id;
  const person = usePerson(mine ? undefined : id);
  const name = mine
    ? t('person.you')
    : (person.data?.display_name ?? (person.isPending ? '…' : t('person.someone')));
  return <Link href={`/people/${id}`}>{name}</Link>;
}
