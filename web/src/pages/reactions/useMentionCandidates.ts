import { useFollowList, usePeopleSearch } from '../../api/people';
import { useAccount } from '../../api/queries';
import type { Person } from '../../api/types';
import { nameFits } from '../../lib/mentions';
import { useDebounced } from '../../lib/useDebounced';

const MOST = 6;

/**
 * The people offered for a mention being typed (`words`, or null when none
 * is): those the person follows whose name fits, then those the server
 * finds by name once two letters are typed.
 */
export function useMentionCandidates(words: string | null): Person[] {
  const me = useAccount().data?.id;
  const typing = words !== null;
  const following = useFollowList(me ?? '', 'following', Boolean(me) && typing);
  const asked = useDebounced(typing ? (words ?? '').trim() : '');
  const found = usePeopleSearch(asked.length >= 2 ? asked : '');
  if (!typing) return [];
  const fits = [
    ...following.people.filter((person) => nameFits(person.display_name, words)),
    ...found.people,
  ];
  const offered: Person[] = [];
  for (const person of fits) {
    if (person.id !== me && !offered.some((other) => other.id === person.id)) offered.push(person);
  }
  return offered.slice(0, MOST);
}
