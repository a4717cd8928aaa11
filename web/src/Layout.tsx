import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef } from 'react';
import { Link, useLocation, useRoute } from 'wouter';
import { useUnreadMessages } from './api/chat';
import { api } from './api/client';
import { useIsAdmin } from './api/moderation';
import { useNotifications } from './api/notifications';
import { useIsPartner } from './api/promotions';
import { keepCopy, keys, refreshTrainings, useAccount } from './api/queries';
import { useLive } from './api/realtime';
import type { Account } from './api/types';
import { type Key, useI18n, useT } from './i18n';
import { useOnline } from './lib/online';
import { onSynced } from './offline/sync';
import { Conflicts } from './pages/sync/Conflicts';
import { PendingChanges } from './pages/sync/PendingChanges';
import { SyncStatus } from './pages/sync/SyncStatus';
import { ErrorBoundary } from './ui/ErrorBoundary';
import { Icon, type IconName } from './ui/icons';

interface Tab {
  href: string;
  icon: IconName;
  label: Key;
  /** A shorter label for the phone's tab bar, where seven share the width. */
  short?: Key;
  /** For partners and administrators, in the top bar only: a phone's tab bar has no room left
   * (they reach it from the equipment page there). */
  partners?: true;
  /** For administrators, in the top bar only (on a phone they reach it from the settings). */
  admins?: true;
  /** In the top bar only: the phone's tab bar is full (there the records page leads to it). */
  wide?: true;
}

const TABS: Tab[] = [
  { href: '/', icon: 'home', label: 'nav.home' },
  { href: '/log', icon: 'log', label: 'nav.log' },
  { href: '/upload', icon: 'upload', label: 'nav.upload' },
  { href: '/stats', icon: 'stats', label: 'nav.stats' },
  { href: '/records', icon: 'records', label: 'nav.records' },
  { href: '/competitions', icon: 'flag', label: 'nav.competitions', wide: true },
  { href: '/partners', icon: 'partners', label: 'nav.partners', wide: true },
  { href: '/equipment', icon: 'shoes', label: 'nav.equipment', short: 'nav.equipmentShort' },
  { href: '/partner/offers', icon: 'offers', label: 'nav.partner', partners: true },
  { href: '/moderation', icon: 'shield', label: 'nav.moderation', admins: true },
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

/** Finding people, from every screen: the search at the top. */
function FindPeopleLink() {
  const t = useT();
  return (
    <Link href="/people" className="topbar-icon" aria-label={t('people.findTitle')} data-testid="find-people">
      <Icon name="search" />
    </Link>
  );
}

/** The bell in the top bar: a link to the notifications, with how many are unread. */
function Bell() {
  const t = useT();
  const unread = useNotifications().data?.unread ?? 0;
  const label =
    unread > 0
      ? `${t('notifications.bell')}: ${unread} ${t('notifications.unread')}`
      : t('notifications.bell');
  return (
    <Link href="/notifications" className="bell" aria-label={label} data-testid="bell">
      <Icon name="bell" />
      {unread > 0 && (
        <span className="count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}

/** The conversations, from every screen: a link at the top with how many messages wait unread. */
function ChatLink() {
  const t = useT();
  const unread = useUnreadMessages(true);
  const label = unread > 0 ? t('chat.linkUnread', { count: unread }) : t('chat.link');
  return (
    <Link href="/chat" className="bell" aria-label={label} data-testid="chat-link">
      <Icon name="chat" />
      {unread > 0 && (
        <span className="count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}

/** The frame of every logged-in screen: top bar, the network's state, tabs on a phone. */
export function Layout({ children }: { children: ReactNode }) {
  const t = useT();
  const online = useOnline();
  const live = useLive(online);
  const queries = useQueryClient();
  const partner = useIsPartner();
  const admin = useIsAdmin();
  const [location] = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  // After a navigation the new screen starts at its top, and screen readers and
  // keyboards start there too, not at the old link. Focusing must not scroll:
  // the browser would bring <main> to the window's top, under the sticky bar.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new location
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus({ preventScroll: true });
  }, [location]);

  // Once after login: the server learns the language this device reads, for the titles it makes.
  const account = useAccount();
  const { language } = useI18n();
  const told = useRef(false);
  useEffect(() => {
    const known = account.data;
    if (told.current || !known || !('language' in known) || known.language === language) return;
    told.current = true;
    api<Account>('/api/v1/account', { method: 'PATCH', body: { language } })
      .then((changed) => {
        queries.setQueryData(keys.account, changed);
        keepCopy('account', changed);
      })
      .catch(() => {
        // Offline or refused: the next start tries again.
      });
  }, [account.data, language, queries]);

  // What the sync brought or sent shows at once in what the server works out: totals, records, usage, photos.
  useEffect(
    () =>
      onSynced((touched) => {
        if (touched.workouts) refreshTrainings(queries);
        if (touched.equipment) {
          queries.invalidateQueries({ queryKey: keys.equipment });
          queries.invalidateQueries({ queryKey: keys.offers });
        }
        if (touched.photos && !touched.workouts) queries.invalidateQueries({ queryKey: keys.workouts });
      }),
    [queries],
  );

  return (
    <>
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          <span className="brand-name">Athlos</span>
        </Link>
        <nav className="topnav" aria-label={t('nav.main')}>
          {TABS.filter((tab) => (!tab.partners || partner) && (!tab.admins || admin)).map((tab) => (
            <NavLink key={tab.href} href={tab.href}>
              {t(tab.label)}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <SyncStatus />
        <FindPeopleLink />
        <ChatLink />
        <Bell />
        {online && live === 'connecting' && (
          <span className="small muted" role="status" data-testid="reconnecting">
            {t('live.reconnecting')}
          </span>
        )}
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {!online && <div className="notice">{t('offline.notice')}</div>}
        <Conflicts />
        <PendingChanges />
        <ErrorBoundary key={location}>{children}</ErrorBoundary>
      </main>
      <nav className="tabbar" aria-label={t('nav.main')}>
        {TABS.filter((tab) => !tab.partners && !tab.admins && !tab.wide).map((tab) => (
          <NavLink key={tab.href} href={tab.href}>
            <Icon name={tab.icon} />
            <span className="tab-label">{t(tab.short ?? tab.label)}</span>
          </NavLink>
        ))}
      </nav>
    </>
  );
}

/** The frame of a page someone not logged in may see (a public training): the brand and the way in. */
export function VisitorLayout({ children }: { children: ReactNode }) {
  const t = useT();
  const [location] = useLocation();
  const next = `?next=${encodeURIComponent(location)}`;
  return (
    <>
      <header className="topbar">
        <Link href="/" className="brand">
          <img src="/icon.svg" alt="" width={28} height={28} />
          Athlos
        </Link>
        <span className="spacer" />
        <Link href={`/login${next}`} className="button secondary small-button">
          {t('login.submit')}
        </Link>
        <Link href="/signup" className="button small-button">
          {t('login.signUp')}
        </Link>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBoundary key={location}>{children}</ErrorBoundary>
      </main>
    </>
  );
}
