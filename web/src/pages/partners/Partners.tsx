import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { optOut, savePartnerSettings, useFinder, usePartnerSettings } from '../../api/partners';
import { listenOwn } from '../../api/realtime';
import type { PartnerMatch } from '../../api/types';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, FormError, Loading } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { Deck } from './Deck';
import { FinderForm } from './FinderForm';
import { MatchDialog } from './MatchDialog';

/** `/partners`: opting in to find people to train with, then the deck of those near and alike. */
export default function Partners() {
  const { t, language } = useI18n();
  const finder = useFinder();
  const [editing, setEditing] = useState(false);
  const [match, setMatch] = useState<PartnerMatch | null>(null);
  /** Matches shown already: the one made here comes back as an event too. */
  const shown = useRef(new Set<string>());

  const showMatch = useCallback((made: PartnerMatch) => {
    if (shown.current.has(made.with.user_id)) return;
    shown.current.add(made.with.user_id);
    setMatch(made);
  }, []);

  // The other person said yes after this one did: the match is told live.
  useEffect(
    () =>
      listenOwn((message) => {
        if (message.kind === 'PartnerMatched' && message.data?.match) showMatch(message.data.match);
      }),
    [showMatch],
  );

  const optedIn = finder.data?.opted_in ?? false;
  return (
    <>
      <div className="heading-row">
        <h1>{t('partners.title')}</h1>
        <div className="heading-links">
          <Link href="/partners/matches">{t('partners.matches')}</Link>
          <Link href="/chat">{t('chat.title')}</Link>
          {optedIn && (
            <button
              type="button"
              className="secondary small-button"
              aria-expanded={editing}
              onClick={() => setEditing(!editing)}
            >
              {editing ? t('partners.backToDeck') : t('partners.settings')}
            </button>
          )}
        </div>
      </div>
      {finder.isPending && <Loading />}
      {finder.error && <div className="alert">{describe(finder.error, t, language === 'en')}</div>}
      {finder.data && !optedIn && (
        <>
          <p className="intro">{t('partners.intro')}</p>
          <FinderForm current={finder.data} onSaved={() => setEditing(false)} />
          <MailSettings />
        </>
      )}
      {finder.data && optedIn && editing && (
        <>
          <h2>{t('partners.editTitle')}</h2>
          <FinderForm
            current={finder.data}
            onSaved={() => setEditing(false)}
            onCancel={() => setEditing(false)}
          />
          <MailSettings />
          <OptOut onDone={() => setEditing(false)} />
        </>
      )}
      {finder.data && optedIn && !editing && <Deck onMatch={showMatch} onSettings={() => setEditing(true)} />}
      <MatchDialog match={match} onClose={() => setMatch(null)} />
    </>
  );
}

/** Whether a match, and messages left unread, are also mailed. Each change is saved at once. */
function MailSettings() {
  const t = useI18n().t;
  const queries = useQueryClient();
  const settings = usePartnerSettings();
  const save = useSubmit<{ mail_matches: boolean; mail_unread: boolean }>([], (next) =>
    savePartnerSettings(queries, next),
  );
  const current = settings.data;
  return (
    <section className="card" aria-labelledby="partner-mail-title">
      <h2 id="partner-mail-title">{t('partners.mailTitle')}</h2>
      {settings.isPending && <Loading />}
      <FormError message={save.formError} />
      {current && (
        <>
          <label className="check">
            <input
              type="checkbox"
              checked={current.mail_matches}
              disabled={save.pending}
              onChange={(e) => save.run({ ...current, mail_matches: e.target.checked })}
            />
            {t('partners.mailMatches')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={current.mail_unread}
              disabled={save.pending}
              onChange={(e) => save.run({ ...current, mail_unread: e.target.checked })}
            />
            {t('partners.mailUnread')}
          </label>
        </>
      )}
    </section>
  );
}

/** Leaving the finder: out of every deck at once; matches and conversations stay. */
function OptOut({ onDone }: { onDone: () => void }) {
  const t = useI18n().t;
  const queries = useQueryClient();
  const [asking, setAsking] = useState(false);
  const leave = useSubmit([], async () => {
    setAsking(false);
    await optOut(queries);
    onDone();
  });
  return (
    <section className="card" aria-labelledby="partner-out-title">
      <h2 id="partner-out-title">{t('partners.optOutTitle')}</h2>
      <p className="small muted">{t('partners.optOutText')}</p>
      <FormError message={leave.formError} />
      <button type="button" className="danger" disabled={leave.pending} onClick={() => setAsking(true)}>
        {t('partners.optOut')}
      </button>
      <ConfirmDialog
        open={asking}
        title={t('partners.optOutConfirm')}
        text={t('partners.optOutText')}
        confirmLabel={t('partners.optOut')}
        danger
        onConfirm={() => leave.onSubmit()}
        onCancel={() => setAsking(false)}
      />
    </section>
  );
}
