import { type FormEvent, useId, useState } from 'react';
import { useLocation } from 'wouter';
import { useT } from '../../i18n';

/** A name to look for; searching opens the people page with the results. */
export function SearchForm({ initial = '' }: { initial?: string }) {
  const t = useT();
  const id = useId();
  const [words, setWords] = useState(initial);
  const [, navigate] = useLocation();
  const search = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = words.trim();
    if (trimmed) navigate(`/people?q=${encodeURIComponent(trimmed)}`);
  };
  return (
    <form className="search-form" onSubmit={search}>
      <label htmlFor={id} className="visually-hidden">
        {t('people.searchLabel')}
      </label>
      <input
        id={id}
        className="search-input"
        type="search"
        value={words}
        maxLength={100}
        placeholder={t('people.searchPlaceholder')}
        onChange={(event) => setWords(event.target.value)}
      />
      <button type="submit">{t('people.search')}</button>
    </form>
  );
}
