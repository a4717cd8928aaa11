import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { Person } from '../../api/types';
import { useT } from '../../i18n';
import { insertMention, mentionAt } from '../../lib/mentions';
import { Avatar } from '../../ui/Avatar';
import { useMentionCandidates } from './useMentionCandidates';

interface Props {
  value: string;
  onChange: (text: string) => void;
  /** Someone was chosen from the offers: their `@Name` is now in the text. */
  onMention: (person: Person) => void;
  /** The label's and hint's ties, from the field around it. */
  field: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string };
  maxLength: number;
}

/**
 * A text area where `@` and the start of a name offers people to mention:
 * arrows move among them, Enter or Tab takes one, Escape leaves the text as typed.
 */
export function MentionInput({ value, onChange, onMention, field, maxLength }: Props) {
  const t = useT();
  const area = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [highlight, setHighlight] = useState(0);
  // Where the caret goes once a chosen name is in the text. Placed in the same commit as the
  // new value, before the browser takes the next key: a frame later, a key typed at once
  // would land at the end and the rest of the words before it.
  const placeCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at === null || !area.current) return;
    placeCaret.current = null;
    area.current.focus();
    area.current.setSelectionRange(at, at);
  });
  const typed = mentionAt(value, caret);
  const query = typed && typed.start !== dismissedAt ? typed : null;
  const people = useMentionCandidates(query?.words ?? null);
  const open = query !== null && people.length > 0;
  const current = Math.min(highlight, people.length - 1);

  const follow = (element: HTMLTextAreaElement) => setCaret(element.selectionStart);
  const choose = (person: Person) => {
    if (!query) return;
    const next = insertMention(value, query, caret, person.display_name);
    onChange(next.text);
    onMention(person);
    setCaret(next.caret);
    setHighlight(0);
    placeCaret.current = next.caret;
  };

  return (
    <div className="mention-box">
      <textarea
        {...field}
        ref={area}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open ? `${listId}-${current}` : undefined}
        maxLength={maxLength}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          follow(event.target);
          setHighlight(0);
        }}
        onSelect={(event) => follow(event.currentTarget)}
        onKeyDown={(event) => {
          if (!open) return;
          const person = people[current];
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            const step = event.key === 'ArrowDown' ? 1 : -1;
            setHighlight((current + step + people.length) % people.length);
          } else if ((event.key === 'Enter' || event.key === 'Tab') && person) {
            event.preventDefault();
            choose(person);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            setDismissedAt(query.start);
          }
        }}
      />
      <div
        id={listId}
        role="listbox"
        className="mention-list"
        hidden={!open}
        aria-label={t('comments.mentionList')}
      >
        {open &&
          people.map((person, index) => (
            <div
              key={person.id}
              tabIndex={-1}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === current}
              // The text area keeps the focus: a press takes the person before it would blur.
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
            >
              <Avatar person={person} />
              <span>{person.display_name}</span>
            </div>
          ))}
      </div>
    </div>
  );
}
