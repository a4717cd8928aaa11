import { useSports } from '../../api/queries';
import { type Key, useT } from '../../i18n';
import { en } from '../../i18n/en';

/** A sport's name in the reader's language; sports an administrator added keep their own name. */
export function useSportName(): (id: string) => string {
  const t = useT();
  const sports = useSports();
  return (id) => {
    const key = `sport.${id}`;
    if (key in en) return t(key as Key);
    return sports.data?.find((s) => s.id === id)?.name ?? id;
  };
}
