import { useEffect, useId, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { syncNow } from '../../offline/sync';
import { describe } from '../../ui/forms';
import { Icon, type IconName } from '../../ui/icons';
import { ChangeLine, RefusedChange } from './ChangeLine';
import { relativeTime, type SyncPhase, useNow, useSyncSummary } from './useSyncSummary';

const ICONS: Record<SyncPhase, IconName> = {
  refused: 'alert',
  syncing: 'sync',
  waiting: 'clock',
  offline: 'offline',
  failing: 'alert',
  synced: 'yes',
  starting: 'sync',
};

/**
 * The sync's state in the top bar, in a word or two (up to date, N changes
 * waiting, syncing, offline, a change refused); it opens a panel with when
 * this device last synced, the refused changes with their reasons and a way
 * to edit or discard each, and "Sync now".
 */
export function SyncStatus() {
  const { t, plural, locale, language } = useI18n();
  const summary = useSyncSummary();
  const now = useNow();
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const { phase, waiting, refused, syncedAt, online } = summary;

  useEffect(() => {
    if (!open) return;
    const click = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
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

  const when = syncedAt ? relativeTime(syncedAt, now, locale, t('sync.justNow')) : null;
  const label = {
    refused: plural('sync.chip.refused', refused.length),
    syncing: t('sync.chip.syncing'),
    waiting: plural('sync.chip.waiting', waiting.length),
    offline: t('offline.badge'),
    failing: t('sync.chip.failing'),
    synced: t('sync.chip.synced'),
    starting: t('sync.chip.syncing'),
  }[phase];
  const sentence = {
    refused: t('sync.panel.refused'),
    syncing: t('sync.panel.syncing'),
    waiting: online ? t('sync.panel.sending') : t('sync.panel.waiting'),
    offline: t('sync.panel.offline'),
    failing: t('sync.panel.failing', {
      reason: summary.error ? describe(summary.error, t, language === 'en') : '',
    }),
    synced: t('sync.panel.synced'),
    starting: t('sync.panel.syncing'),
  }[phase];

  return (
    <div className="sync-status" ref={box}>
      <button
        ref={toggle}
        type="button"
        className="sync-chip"
        data-phase={phase}
        data-testid="sync-state"
        data-waiting={waiting.length}
        aria-expanded={open}
        aria-controls={id}
        title={when ? t('sync.lastSynced', { when }) : undefined}
        onClick={() => setOpen(!open)}
      >
        <Icon name={ICONS[phase]} />
        <span className="sync-label">{label}</span>
        {when && (phase === 'synced' || phase === 'offline') && (
          <span className="sync-when" aria-hidden="true">
            · {when}
          </span>
        )}
      </button>
      <div id={id} className="sync-panel card" hidden={!open} data-testid="sync-panel">
        <p className="sync-sentence" role="status">
          {sentence}
        </p>
        <p className="small muted">{when ? t('sync.lastSynced', { when }) : t('sync.neverSynced')}</p>
        {refused.length > 0 && (
          <ul className="list">
            {refused.map((mutation) => (
              <li key={mutation.id} className="small" style={{ padding: '0.4rem 0' }}>
                <ChangeLine mutation={mutation} />
                <RefusedChange mutation={mutation} onAction={() => setOpen(false)} />
              </li>
            ))}
          </ul>
        )}
        {waiting.length > 0 && <p className="small">{plural('sync.chip.waiting', waiting.length)}</p>}
        {online && (
          <button
            type="button"
            className="secondary small-button"
            disabled={phase === 'syncing'}
            onClick={() => syncNow()}
          >
            <Icon name="sync" />
            {t('sync.now')}
          </button>
        )}
      </div>
    </div>
  );
}
