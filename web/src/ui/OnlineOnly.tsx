/**
 * In place of what only the server has (a map, charts, photos, comments, a
 * part's history) while there is no network, or before the record has
 * reached the server: said plainly, instead of a spinner that never ends.
 */
export function OnlineOnly({ text }: { text: string }) {
  return (
    <p className="online-only small muted" data-testid="online-only">
      {text}
    </p>
  );
}
