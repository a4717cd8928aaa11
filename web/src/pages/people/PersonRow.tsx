import type { ReactNode } from 'react';
import { Link } from 'wouter';
import type { Person } from '../../api/types';
import { Avatar } from '../../ui/Avatar';

/** Someone in a list: picture and name leading to their profile, and what may be done beside it. */
export function PersonRow({ person, children }: { person: Person; children?: ReactNode }) {
  return (
    <li className="person-row">
      <Link href={`/people/${person.id}`} className="person-link">
        <Avatar person={person} />
        <span>{person.display_name}</span>
      </Link>
      {children && <span className="person-actions">{children}</span>}
    </li>
  );
}
