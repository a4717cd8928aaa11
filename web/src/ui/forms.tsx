import { type ReactNode, useId } from 'react';
import { ApiError } from '../api/problem';
import { type Translate, useT } from '../i18n';

/**
 * A problem from the API in the reader's words: a translation for the
 * problem (and field) when there is one, else the server's own explanation.
 */
export function describe(error: unknown, t: Translate, english: boolean): string {
  if (error instanceof Invalid) return error.message;
  if (!(error instanceof ApiError)) return t('error.unexpected');
  if (error.isNetwork) return t('error.network');
  const specific = `problem.${error.slug}${error.field ? `.${error.field}` : ''}`;
  const general = `problem.${error.slug}`;
  const known = (key: string) => t(key as never) !== key;
  // English readers get the server's detail, which names the exact limit or line.
  if (english && error.detail) return error.detail;
  if (known(specific)) return t(specific as never, { seconds: error.retryAfter ?? 60 });
  if (known(general)) return t(general as never, { seconds: error.retryAfter ?? 60 });
  return error.detail || t('error.unexpected');
}

/** The field a problem concerns, so the form can show it there. */
export function fieldOf(error: unknown): string | undefined {
  return error instanceof ApiError || error instanceof Invalid ? error.field : undefined;
}

/** A value the browser already knows is wrong: thrown by a form's action before anything is sent. */
export class Invalid extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
}

/** A labelled input with its hint and its error, tied together for screen readers. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': described || undefined })}
      {hint && (
        <span className="hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error && (
        <span className="error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function FormError({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <div className="alert" role="alert">
      {message}
    </div>
  );
}

export function Loading() {
  const t = useT();
  return (
    <p className="muted" aria-live="polite">
      {t('common.loading')}
    </p>
  );
}

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  type?: 'text' | 'email' | 'password' | 'datetime-local';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'decimal' | 'email';
  placeholder?: string;
  required?: boolean;
}

/** The common case of a Field: one text input. */
export function TextField({ label, value, onChange, error, hint, ...input }: TextFieldProps) {
  return (
    <Field label={label} error={error} hint={hint}>
      {(props) => <input {...props} {...input} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
