/**
 * A refusal in the competitions' own words. A Russian reader sees problems
 * through `problem.invalid-input.<field>` keys, which other screens share
 * (a partner's `region` is a country); here the field's own words are used.
 */
import { ApiError } from '../../api/problem';
import { Invalid } from '../../ui/forms';

export async function inOwnWords<T>(
  work: () => Promise<T>,
  words: Record<string, string>,
  english: boolean,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field = error instanceof ApiError && error.status === 422 ? error.field : undefined;
    const own = field ? words[field] : undefined;
    if (!english && field && own) throw new Invalid(field, own);
    throw error;
  }
}
