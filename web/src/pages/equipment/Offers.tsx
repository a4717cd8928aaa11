import { Link } from 'wouter';
import { MOST_OFFERS, promotionPath, useDismissOffer, useOffers } from '../../api/promotions';
import type { Offer } from '../../api/types';
import { useT } from '../../i18n';

function OfferCard({ offer, onDismiss }: { offer: Offer; onDismiss: () => void }) {
  const t = useT();
  return (
    <li className="offer" data-testid="offer">
      {offer.picture && <img src={promotionPath(offer.id, '/picture')} alt="" loading="lazy" />}
      <div>
        <strong className="offer-title">{offer.title}</strong>
        {offer.body && <p className="offer-body">{offer.body}</p>}
        {/* Counted by the server on the way; the partner learns nothing of who came. */}
        <a href={promotionPath(offer.id, '/visit')} target="_blank" rel="noopener noreferrer sponsored">
          {t('offers.open')}
        </a>
      </div>
      <button
        type="button"
        className="link offer-dismiss"
        aria-label={t('offers.dismissOne', { title: offer.title })}
        onClick={onDismiss}
      >
        ×
      </button>
    </li>
  );
}

/** A few partners' offers below the equipment, small and muted; each can be dismissed. */
export function Offers() {
  const t = useT();
  const offers = useOffers();
  const dismiss = useDismissOffer();
  const shown = (offers.data ?? []).slice(0, MOST_OFFERS);
  if (shown.length === 0) return null;
  return (
    <section className="offers" aria-labelledby="offers-title" data-testid="offers">
      <div className="heading-row">
        <h2 id="offers-title">{t('offers.title')}</h2>
        <Link href="/settings" className="small">
          {t('offers.settings')}
        </Link>
      </div>
      <ul className="list">
        {shown.map((offer) => (
          <OfferCard
            key={offer.id}
            offer={offer}
            onDismiss={() =>
              dismiss(offer.id).catch(() => {
                // Shown again next time; nothing to tell.
              })
            }
          />
        ))}
      </ul>
    </section>
  );
}
