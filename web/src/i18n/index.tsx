/**
 * The translation layer: every string the app shows goes through `t`. The
 * English dictionary defines the keys; the Russian one must have them all
 * (the type checker says which are missing). `{name}` in a string is filled
 * from the parameters; a key ending in a plural form is chosen by number.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en';

export type Key = keyof typeof en;
export type Dictionary = Record<Key, string>;
export type Language = 'en' | 'ru';
export type Translate = (key: Key, params?: Record<string, string | number>) => string;

export const LANGUAGES: { id: Language; name: string }[] = [
  { id: 'en', name: 'English' },
  { id: 'ru', name: 'Русский' },
];

const STORAGE = 'athlos.language';

function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE);
  if (saved === 'en' || saved === 'ru') return saved;
  return navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** Picks `key.one`/`key.few`/`key.many`/`key.other` by the language's plural rules. */
  plural: (base: string, count: number) => string;
  locale: string;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const [dictionary, setDictionary] = useState<Dictionary>(en);

  useEffect(() => {
    document.documentElement.lang = language;
    if (language === 'en') {
      setDictionary(en);
      return;
    }
    // Russian is loaded only by those who read it.
    let live = true;
    import('./ru').then((module) => live && setDictionary(module.ru));
    return () => {
      live = false;
    };
  }, [language]);

  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE, next);
    setLanguageState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const rules = new Intl.PluralRules(language);
    const t: Translate = (key, params) => fill(dictionary[key] ?? en[key] ?? key, params);
    const plural = (base: string, count: number) => {
      const form = rules.select(count);
      const key = (`${base}.${form}` in dictionary ? `${base}.${form}` : `${base}.other`) as Key;
      return t(key, { count });
    };
    return { language, setLanguage, t, plural, locale: language === 'ru' ? 'ru-RU' : 'en-GB' };
  }, [language, dictionary, setLanguage]);

  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
