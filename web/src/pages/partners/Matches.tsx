import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { asPerson, openConversation } from '../../api/chat';
import { unmatch, useMatches } from '../../api/partners';
import type { PartnerMatch } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatCalendarDay } from '../../lib/dates';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, FormError, Loading } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { PersonRow } from '../people/PersonRow';

/** `/partners/matches`: the people who said yes back, newest first: write to them, or unmatch. */
export default function Matches() {
  const { t, language } = useI18n();
  const matches = useMatches();
  return (
    <>
      <p className="back-link small">
        <Link href="/partners">← {t('partners.title')}</Link>
      </p>
      <h1>{t('partners.matchesTitle')}</h1>
      {matches.isPending && <Loading />}
      {matches.error && <div className="alert">{describe(matches.error, t, language === 'en')}</div>}
      {matches.data && matches.data.length === 0 && (
        <div className="muted">
          <p>{t('partners.noMatches')}</p>
          <Link href="/partners" className="button secondary">
            {t('partners.toDeck')}
          </Link>
        </div>
      )}
      {matches.data && matches.data.length > 0 && (
        <ul className="list card people matches" data-testid="matches">
          {matches.data.map((match) => (
            <MatchRow key={match.with.user_id} match={match} />
          ))}
        </ul>
      )}
    </>
  );
}

function MatchRow({ match }: { match: PartnerMatch }) {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [asking, setAsking] = useState(false);
  const person = asPerson(match.with, t('person.someone'));
  const name = person.display_name;
  const write = useSubmit([], async () => {
    const id = match.conversation_id || (await openConversation(queries, match.with.user_id)).id;
    navigate(`/chat/${id}`);
  });
  const end = useSubmit([], async () => {
    setAsking(false);
    await unmatch(queries, match.with.user_id);
  });
  return (
    <PersonRow person={person}>
      <span className="small muted match-date">{formatCalendarDay(match.matched_at, locale)}</span>
      <button
        type="button"
        className="small-button"
        disabled={write.pending}
        onClick={() => write.onSubmit()}
      >
        {t('chat.message')}
      </button>
      <button
        type="button"
        className="secondary small-button"
        disabled={end.pending}
        aria-label={t('partners.unmatchName', { name })}
        onClick={() => setAsking(true)}
      >
        {t('partners.unmatch')}
      </button>
      <FormError message={write.formError ?? end.formError} />
      <ConfirmDialog
        open={asking}
        title={t('partners.unmatchTitle', { name })}
        text={t('partners.unmatchText')}
        confirmLabel={t('partners.unmatch')}
        danger
        onConfirm={() => end.onSubmit()}
        onCancel={() => setAsking(false)}
      />
    </PersonRow>
  );
}
