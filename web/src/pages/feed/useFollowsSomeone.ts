import { useEffect } from 'react';
import { useMyPerson } from '../../api/people';
import { keepCopy, readCopy } from '../../api/queries';

const COPY = 'follows-someone';

/**
 * Whether the person follows anyone, which makes the feed their home. The
 * last answer is kept on the device, so the home opens as it was at once
 * (and offline); undefined only before the very first answer.
 */
export function useFollowsSomeone(): boolean | undefined {
  const me = useMyPerson();
  const known = me.data ? me.data.following > 0 : undefined;
  useEffect(() => {
    if (known !== undefined) keepCopy(COPY, known);
  }, [known]);
  if (known !== undefined) return known;
  return readCopy<boolean>(COPY) ?? (me.isError ? false : undefined);
}
