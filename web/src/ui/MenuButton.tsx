import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { Icon } from './icons';

/**
 * A "more" button that shows a few actions under it (a disclosure: the
 * actions are plain buttons, in the tab order). It closes when one is
 * chosen or anything else is clicked, and on Escape.
 */
export function MenuButton({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const toggle = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const click = (event: MouseEvent) => {
      if (!toggle.current?.contains(event.target as Node)) setOpen(false);
    };
    const key = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      toggle.current?.focus();
    };
    document.addEventListener('click', click);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('click', click);
      document.removeEventListener('keydown', key);
    };
  }, [open]);

  return (
    <div className="menu">
      <button
        ref={toggle}
        type="button"
        className="secondary icon-button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" />
      </button>
      <div id={id} className="menu-items" hidden={!open}>
        {children}
      </div>
    </div>
  );
}
