import type { ReactNode } from 'react';

/** `http://` or `https://` and what follows up to a space: the only links a message makes. */
const LINK = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation a sentence puts after a link, not part of it. */
const TRAILING = /[.,;:!?'"»”’]$/;

/** Where a link found in the text ends: sentence punctuation, and a closing bracket it did not open, are left out. */
function trim(url: string): string {
  let end = url;
  for (;;) {
    if (TRAILING.test(end)) end = end.slice(0, -1);
    else if (end.endsWith(')') && (end.match(/\(/g)?.length ?? 0) < (end.match(/\)/g)?.length ?? 0))
      end = end.slice(0, -1);
    else return end;
  }
}

function isWebLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * A message's text as text (React escapes it; line breaks kept by the CSS),
 * with its web addresses as plain links that open apart and pass nothing on.
 */
export function MessageText({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let last = 0;
  for (const found of text.matchAll(LINK)) {
    const start = found.index ?? 0;
    const url = trim(found[0]);
    if (!isWebLink(url)) continue;
    if (start > last) parts.push(text.slice(last, start));
    parts.push(
      <a key={start} href={url} target="_blank" rel="noopener noreferrer nofollow">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <>{parts}</>;
}
