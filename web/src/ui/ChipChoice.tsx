import { type ReactNode, useId } from 'react';

export interface Chip<T extends string> {
  value: T;
  label: ReactNode;
}

interface Props<T extends string> {
  legend: string;
  options: Chip<T>[];
  chosen: T[];
  onChange: (chosen: T[]) => void;
  hint?: string;
  error?: string;
  testId?: string;
}

/** Several choices among a few, as a row of toggles (checkboxes underneath, for keyboards and screen readers). */
export function ChipChoice<T extends string>({
  legend,
  options,
  chosen,
  onChange,
  hint,
  error,
  testId,
}: Props<T>) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const toggle = (value: T, on: boolean) =>
    onChange(on ? [...chosen, value] : chosen.filter((other) => other !== value));
  return (
    <fieldset className="field chips" aria-describedby={described || undefined} data-testid={testId}>
      <legend>{legend}</legend>
      <div className="chip-row">
        {options.map((option) => (
          <label key={option.value} className="chip">
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(event) => toggle(option.value, event.target.checked)}
            />
            <span>{option.label}</span>
          </label>
        ))}
      </div>
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
    </fieldset>
  );
}
