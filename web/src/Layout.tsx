import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation, useRoute } from 'wouter';
import { refreshTrainings } from './api/queries';
import { type Key, useT } from './i18n';
import { useOnline } from './lib/online';
import { onSent, useOutbox } from './offline/outbox';
import { Outbox } from './pages/workouts/Outbox';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { Icon, type IconName } from './ui/icons';

const TABS: { href: string; icon: IconName; label: Key }[] = [
  { href: '/', icon: 'home', label: 'nav.home' },
  { href: '/log', icon: 'log', label: 'nav.log' },
  { href: '/upload', icon: 'upload', label: 'nav.upload' },
  { href: '/stats', icon: 'stats', label: 'nav.stats' },
  { href: '/settings', icon: 'settings', label: 'nav.settings' },
];

function NavLink({ href, children }: { href: string; children: ReactNode }) {
  const [active] = useRoute(href);
  return (
    <Link href={href} aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

/** The frame of every logged-in screen: top bar, the network's state, tabs on a phone. */
export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const online = useOnline();
  const waiting = useOutbox();
  const queries = useQueryClient();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation, screen readers and keyboards start at the new screen, not the old link.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new location
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [location]);

  // A workout that left the outbox shows in lists and totals at once.
  useEffect(() => onSent(() => refreshTrainings(queries)), [queries]);

  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          Athlos
        </Link>
        <nav className="topnav" aria-label={t('nav.main')}>
          {TABS.map((tab) => (
            <NavLink key={tab.href} href={tab.href}>
              {t(tab.label)}
            </NavLink>
          ))}
          <NavLink href="/records">{t('nav.records')}</NavLink>
        </nav>
        <span className="spacer" />
        {!online && (
          <span className="small muted" role="status">
            {t('offline.badge')}
          </span>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {!online && <div className="notice">{t('offline.notice')}</div>}
        {waiting.length > 0 && <Outbox entries={waiting} />}
        <ErrorBoundary key={location}>{children}</ErrorBoundary>
      </main>
      <nav className="tabbar" aria-label={t('nav.main')}>
        {TABS.map((tab) => (
          <NavLink key={tab.href} href={tab.href}>
            <Icon name={tab.icon} />
            {t(tab.label)}
          </NavLink>
        ))}
      </nav>
    </>
  );
}
