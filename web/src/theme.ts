/** Light, dark, or whatever the device prefers; kept on the device. */
import { useState } from 'react';

export type Theme = 'system' | 'light' | 'dark';
const KEY = 'athlos.theme';

function stored(): Theme {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

const prefersDark = () => window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;

export function applyTheme(theme: Theme = stored()) {
  const dark = theme === 'dark' || (theme === 'system' && prefersDark());
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  document.querySelector('meta[name="theme-color"]')?.setAttribute('content', dark ? '#18201c' : '#0d7a5f');
}

if (typeof window !== 'undefined') {
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme());
}

export function useTheme(): [Theme, (theme: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(stored);
  return [
    theme,
    (next) => {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      applyTheme(next);
      setTheme(next);
    },
  ];
}
