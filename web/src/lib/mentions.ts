/**
 * Mentions in a comment: `@` and the start of a name offers people; a
 * chosen one is written `@Full Name` in the text, and the ids of those
 * still written there when it is sent are the comment's `mentions`.
 */

/** The longest a typed mention may run (names have spaces) before no longer counting as one. */
const LONGEST = 40;

export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What follows it up to the caret. */
  words: string;
}

/** The mention being typed at the caret, if one is: an `@` at a word's start, and no line break since. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('@');
  if (start < 0 || caret - start > LONGEST) return null;
  if (start > 0 && !/\s|[(["']/.test(before.charAt(start - 1))) return null;
  const words = before.slice(start + 1);
  if (/[\n@]/.test(words) || words.startsWith(' ')) return null;
  return { start, words };
}

/** Whether a name fits what was typed: its start, or the start of one of its words. */
export function nameFits(name: string, words: string): boolean {
  const typed = words.trim().toLocaleLowerCase();
  if (!typed) return true;
  const lower = name.toLocaleLowerCase();
  return lower.startsWith(typed) || lower.split(/\s+/).some((part) => part.startsWith(typed));
}

/** The text with the mention at the caret replaced by `@Name `, and where the caret goes. */
export function insertMention(
  text: string,
  query: MentionQuery,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const written = `@${name} `;
  return {
    text: text.slice(0, query.start) + written + text.slice(caret),
    caret: query.start + written.length,
  };
}

/** The chosen people whose `@Name` is still in the text. */
export function mentionedIds(text: string, chosen: Map<string, string>): string[] {
  return [...chosen].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
