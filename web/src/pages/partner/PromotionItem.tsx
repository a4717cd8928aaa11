import { promotionPath } from '../../api/promotions';
import type { Promotion } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';

type Phase = 'scheduled' | 'running' | 'ended';

function phaseOf(promotion: Promotion, now = Date.now()): Phase {
  if (now < new Date(promotion.starts_at).getTime()) return 'scheduled';
  return now < new Date(promotion.ends_at).getTime() ? 'running' : 'ended';
}

interface Props {
  promotion: Promotion;
  onEdit: () => void;
  onWithdraw: () => void;
}

/** One of the partner's offers: when it runs, and how often it was seen, followed and dismissed. */
export function PromotionItem({ promotion, onEdit, onWithdraw }: Props) {
  const { t, locale } = useI18n();
  const phase = phaseOf(promotion);
  const counts: [string, number][] = [
    [t('partner.views'), promotion.views],
    [t('partner.clicks'), promotion.clicks],
    [t('partner.dismissals'), promotion.dismissals],
  ];
  return (
    <li className="card promotion" data-testid="promotion">
      <div className="offer">
        {promotion.picture && <img src={promotionPath(promotion.id, '/picture')} alt="" loading="lazy" />}
        <div>
          <strong className="offer-title">{promotion.title}</strong>
          <p className="small muted" style={{ margin: 0 }}>
            <span className="badge" data-phase={phase}>
              {t(`partner.phase.${phase}`)}
            </span>{' '}
            {formatDateTime(promotion.starts_at, locale)} – {formatDateTime(promotion.ends_at, locale)}
          </p>
        </div>
      </div>
      <dl className="promotion-counts">
        {counts.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button type="button" className="secondary small-button" onClick={onEdit}>
          {t('partner.edit')}
        </button>
        <button type="button" className="link" onClick={onWithdraw}>
          {t('partner.withdraw')}
        </button>
      </div>
    </li>
  );
}
