import { useQueryClient } from '@tanstack/react-query';
import { type PointerEvent, useCallback, useEffect, useRef, useState } from 'react';
import { swipe, undoSwipe, useCandidates } from '../../api/partners';
import { ApiError } from '../../api/problem';
import { keys } from '../../api/queries';
import type { Candidate, PartnerMatch } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { Icon } from '../../ui/icons';
import { CandidateCard } from './CandidateCard';

/** How far (px) a card is dragged before letting go says yes or no; less springs back. */
const THRESHOLD = 90;
/** How long a card takes to fly off (the CSS transition of `.swipe-card.leaving`). */
const LEAVE_MS = 220;
/** Below this many cards left, the deck asks for more. */
const LOW = 3;

type Verdict = 'yes' | 'no';

interface Swiped {
  candidate: Candidate;
  yes: boolean;
}

/** The deck: the top card is dragged (or decided with the buttons or the arrow keys); a swipe can be undone. */
export function Deck({
  onMatch,
  onSettings,
}: {
  onMatch: (match: PartnerMatch) => void;
  onSettings: () => void;
}) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const candidates = useCandidates(true);
  const [queue, setQueue] = useState<Candidate[]>([]);
  const [history, setHistory] = useState<Swiped[]>([]);
  const [leaving, setLeaving] = useState<Verdict | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [exhausted, setExhausted] = useState(false);
  const [undoing, setUndoing] = useState(false);
  /** Everyone swiped here, so a deck asked again meanwhile does not bring them back. */
  const swiped = useRef(new Set<string>());
  /** The swipe on its way to the server: an undo waits for it. */
  const inFlight = useRef<Promise<unknown>>(Promise.resolve());
  const english = language === 'en';

  // Each answer of the deck adds the people not shown yet; one that adds nobody means no more for now.
  const shownNow = useRef(queue);
  shownNow.current = queue;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each answer, even one equal to the last
  useEffect(() => {
    const fetched = candidates.data;
    if (!fetched) return;
    const seen = new Set([...shownNow.current.map((c) => c.user_id), ...swiped.current]);
    const fresh = fetched.filter((c) => !seen.has(c.user_id));
    setExhausted(fresh.length === 0);
    if (fresh.length > 0) setQueue((shown) => [...shown, ...fresh]);
  }, [candidates.dataUpdatedAt]);

  const { refetch, isFetching } = candidates;
  useEffect(() => {
    if (queue.length < LOW && !exhausted && !isFetching && candidates.isSuccess) refetch();
  }, [queue.length, exhausted, isFetching, candidates.isSuccess, refetch]);

  const top = queue[0];

  const decide = useCallback(
    (verdict: Verdict) => {
      if (!top || leaving) return;
      const yes = verdict === 'yes';
      setError(null);
      setLeaving(verdict);
      swiped.current.add(top.user_id);
      setTimeout(() => {
        setLeaving(null);
        setQueue((shown) => shown.filter((c) => c.user_id !== top.user_id));
        setHistory((done) => [...done, { candidate: top, yes }]);
        setStatus(
          t(yes ? 'partners.saidYes' : 'partners.saidNo', {
            name: top.display_name,
          }),
        );
      }, LEAVE_MS);
      const sent = swipe(queries, top.user_id, yes)
        .then((outcome) => {
          if (outcome.matched && outcome.match) onMatch(outcome.match);
        })
        .catch((failure: unknown) => {
          // Swiped already (another device), or gone from the deck: nothing to put back.
          if (failure instanceof ApiError && (failure.status === 409 || failure.status === 404)) return;
          swiped.current.delete(top.user_id);
          setHistory((done) => done.filter((s) => s.candidate.user_id !== top.user_id));
          setQueue((shown) => [top, ...shown.filter((c) => c.user_id !== top.user_id)]);
          setError(describe(failure, t, english));
        });
      inFlight.current = sent;
    },
    [top, leaving, queries, onMatch, t, english],
  );

  const undo = useCallback(async () => {
    if (undoing || leaving) return;
    setUndoing(true);
    setError(null);
    try {
      await inFlight.current;
      const undone = await undoSwipe(queries);
      const last = history.at(-1);
      if (last && last.candidate.user_id === undone.user_id) {
        swiped.current.delete(last.candidate.user_id);
        setHistory((done) => done.slice(0, -1));
        setQueue((shown) => [last.candidate, ...shown.filter((c) => c.user_id !== last.candidate.user_id)]);
        setStatus(t('partners.undone', { name: last.candidate.display_name }));
      } else {
        // Swiped before this page opened: the deck is asked again and has them back.
        setExhausted(false);
        queries.invalidateQueries({ queryKey: keys.candidates });
        setStatus(t('partners.undoneSomeone'));
      }
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setStatus(t('partners.nothingToUndo'));
      else setError(describe(failure, t, english));
    } finally {
      setUndoing(false);
    }
  }, [undoing, leaving, queries, history, t, english]);

  // On a desktop: → says yes, ← no, Backspace or z undoes; not while typing or in a dialog.
  useEffect(() => {
    const key = (event: KeyboardEvent) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) return;
      const target = event.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], dialog')) return;
      if (document.querySelector('dialog[open]')) return;
      if (event.key === 'ArrowRight') decide('yes');
      else if (event.key === 'ArrowLeft') decide('no');
      else if (event.key === 'Backspace' || event.key === 'z' || event.key === 'Z') undo();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', key);
    return () => window.removeEventListener('keydown', key);
  }, [decide, undo]);

  if (candidates.isPending) return <Loading />;
  if (candidates.error && queue.length === 0) {
    return <div className="alert">{describe(candidates.error, t, english)}</div>;
  }

  return (
    <section className="deck-area" aria-labelledby="deck-title">
      <h2 id="deck-title" className="visually-hidden">
        {t('partners.deck')}
      </h2>
      <div className="deck" data-testid="deck">
        {queue.length === 0 ? (
          <div className="deck-empty card" data-testid="deck-empty">
            {isFetching ? (
              <Loading />
            ) : (
              <>
                <p>{t('partners.empty')}</p>
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => {
                      setExhausted(false);
                      refetch();
                    }}
                  >
                    {t('partners.lookAgain')}
                  </button>
                  <button type="button" className="secondary" onClick={onSettings}>
                    {t('partners.widen')}
                  </button>
                </div>
              </>
            )}
          </div>
        ) : (
          queue
            .slice(0, 3)
            .map((candidate, index) => (
              <SwipeCard
                key={candidate.user_id}
                candidate={candidate}
                depth={index}
                leaving={index === 0 ? leaving : null}
                onSwipe={decide}
              />
            ))
            .reverse()
        )}
      </div>
      <div className="deck-buttons">
        <button
          type="button"
          className="secondary round no-button"
          aria-keyshortcuts="ArrowLeft"
          disabled={!top || Boolean(leaving)}
          onClick={() => decide('no')}
        >
          <Icon name="no" />
          {t('partners.no')}
        </button>
        <button
          type="button"
          className="secondary round undo-button"
          aria-keyshortcuts="Backspace Z"
          disabled={undoing}
          onClick={undo}
        >
          <Icon name="undo" />
          {t('partners.undo')}
        </button>
        <button
          type="button"
          className="round yes-button"
          aria-keyshortcuts="ArrowRight"
          disabled={!top || Boolean(leaving)}
          onClick={() => decide('yes')}
        >
          <Icon name="yes" />
          {t('partners.yes')}
        </button>
      </div>
      <p className="small muted deck-status" role="status">
        {status}
      </p>
      <p className="small muted deck-keys">{t('partners.keys')}</p>
      {error && (
        <div className="alert" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}

interface CardProps {
  candidate: Candidate;
  /** 0 for the top card, 1 and 2 for those under it. */
  depth: number;
  leaving: Verdict | null;
  onSwipe: (verdict: Verdict) => void;
}

/** A card that follows the finger (or the mouse), leaning as it goes; let go past the threshold, it decides. */
function SwipeCard({ candidate, depth, leaving, onSwipe }: CardProps) {
  const { t } = useI18n();
  const [drag, setDrag] = useState<{ x: number; y: number } | null>(null);
  const [back, setBack] = useState(false);
  const start = useRef<{ x: number; y: number; id: number } | null>(null);
  const top = depth === 0;

  const down = (event: PointerEvent<HTMLElement>) => {
    if (!top || leaving || (event.pointerType === 'mouse' && event.button !== 0)) return;
    // A link on the card is followed, not dragged.
    if ((event.target as HTMLElement).closest('a, button')) return;
    start.current = { x: event.clientX, y: event.clientY, id: event.pointerId };
    event.currentTarget.setPointerCapture(event.pointerId);
    setBack(false);
    setDrag({ x: 0, y: 0 });
  };
  const move = (event: PointerEvent<HTMLElement>) => {
    const from = start.current;
    if (!from || from.id !== event.pointerId) return;
    setDrag({ x: event.clientX - from.x, y: event.clientY - from.y });
  };
  const up = (event: PointerEvent<HTMLElement>) => {
    const from = start.current;
    if (!from || from.id !== event.pointerId) return;
    start.current = null;
    const dx = event.clientX - from.x;
    if (Math.abs(dx) >= THRESHOLD) {
      // From where it was let go, the card flies off (the leaving transition).
      setDrag(null);
      onSwipe(dx > 0 ? 'yes' : 'no');
    } else {
      setBack(true);
      setDrag(null);
    }
  };
  const cancel = () => {
    start.current = null;
    setBack(true);
    setDrag(null);
  };

  const dx = drag?.x ?? 0;
  const dy = drag?.y ?? 0;
  let transform: string | undefined;
  if (leaving) {
    const side = leaving === 'yes' ? 1 : -1;
    transform = `translate(${side * 150}%, ${dy}px) rotate(${side * 24}deg)`;
  } else if (drag) {
    const turn = Math.max(-15, Math.min(15, dx / 15));
    transform = `translate(${dx}px, ${dy * 0.25}px) rotate(${turn}deg)`;
  } else if (!top) {
    transform = `translateY(${depth * 10}px) scale(${1 - depth * 0.04})`;
  }
  const lean = leaving ? (leaving === 'yes' ? 1 : -1) : Math.max(-1, Math.min(1, dx / THRESHOLD));
  const className = [
    'swipe-card',
    'card',
    top ? 'top' : '',
    drag ? 'dragging' : '',
    leaving ? 'leaving' : '',
    back ? 'springing' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article
      className={className}
      style={{ transform, zIndex: 3 - depth }}
      aria-label={candidate.display_name}
      aria-hidden={top ? undefined : true}
      inert={!top}
      data-testid={top ? 'candidate' : undefined}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={cancel}
      onTransitionEnd={() => setBack(false)}
    >
      <span className="stamp stamp-yes" aria-hidden="true" style={{ opacity: Math.max(0, lean) }}>
        {t('partners.yes')}
      </span>
      <span className="stamp stamp-no" aria-hidden="true" style={{ opacity: Math.max(0, -lean) }}>
        {t('partners.no')}
      </span>
      <CandidateCard candidate={candidate} />
    </article>
  );
}
