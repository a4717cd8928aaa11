import type { Person } from '../api/types';

/** Someone's picture, or the first letter of their name on a plain disc. */
export function Avatar({ person, size = 'small' }: { person: Person; size?: 'small' | 'large' }) {
  const className = `avatar avatar-${size}`;
  if (person.avatar_url) return <img className={className} src={person.avatar_url} alt="" />;
  return (
    <span className={className} aria-hidden="true">
      {person.display_name.slice(0, 1).toUpperCase()}
    </span>
  );
}
