import { type FormEvent, useState } from 'react';
import { useI18n } from '../i18n';
import { describe, fieldOf } from './forms';

/**
 * A form's submission: pending while it runs, and its failure split into the
 * message for one field (shown beside it) or for the whole form.
 */
export function useSubmit<I = void>(fields: string[], action: (input: I) => Promise<void>) {
  const { t, language } = useI18n();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const message = error ? describe(error, t, language === 'en') : undefined;
  const field = fieldOf(error);
  const onField = field !== undefined && fields.includes(field);

  const run = async (input: I) => {
    setError(null);
    setPending(true);
    try {
      await action(input);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  return {
    pending,
    /** The error to show beside a field (from the browser's checks or the server's). */
    fieldError: (name: string) => (onField && field === name ? message : undefined),
    formError: onField ? undefined : message,
    reset: () => setError(null),
    /** Runs the action with an input, for changes that apply at once (no form to submit). */
    run,
    onSubmit: (event?: FormEvent) => {
      event?.preventDefault();
      return run(undefined as I);
    },
  };
}
