import type { ReactNode } from 'react';
import { LANGUAGES, useI18n } from '../../i18n';

/** The narrow card the signed-out screens share, with the language choice. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  const { language, setLanguage, t } = useI18n();
  return (
    <main id="main" className="narrow">
      <div style={{ display: 'flex', alignItems: 'center', gap: '0.5rem', marginBottom: '1rem' }}>
        <img src="/icon.svg" alt="" width={36} height={36} style={{ borderRadius: 8 }} />
        <strong style={{ fontSize: '1.3rem' }}>Athlos</strong>
        <span className="spacer" style={{ flex: 1 }} />
        <label className="visually-hidden" htmlFor="language">
          {t('settings.language')}
        </label>
        <select
          id="language"
          value={language}
          onChange={(event) => setLanguage(event.target.value as typeof language)}
          style={{ width: 'auto', minHeight: 36, padding: '0.3rem' }}
        >
          {LANGUAGES.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </div>
      <div className="card">
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
