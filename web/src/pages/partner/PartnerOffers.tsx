import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { promotionPath, useIsPartner, useMyPromotions } from '../../api/promotions';
import { keys } from '../../api/queries';
import type { NewPromotion, Promotion } from '../../api/types';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, Loading } from '../../ui/forms';
import { PromotionForm } from './PromotionForm';
import { PromotionItem } from './PromotionItem';

/** A partner's offers: their counts, and publishing, changing or withdrawing one. */
export default function PartnerOffers() {
  const { t, language } = useI18n();
  const partner = useIsPartner();
  const queries = useQueryClient();
  const promotions = useMyPromotions();
  // The offer being written: a new one, one of the list, or none.
  const [editing, setEditing] = useState<Promotion | 'new' | null>(null);
  const [withdrawing, setWithdrawing] = useState<Promotion | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  if (!partner) return <p className="notice">{t('partner.only')}</p>;

  const refresh = () => {
    queries.invalidateQueries({ queryKey: keys.myPromotions });
    queries.invalidateQueries({ queryKey: keys.offers });
  };
  const save = async (values: NewPromotion, picture: File | null) => {
    const saved =
      editing === 'new' || editing === null
        ? await api<Promotion>('/api/v1/promotions', { method: 'POST', body: values })
        : await api<Promotion>(promotionPath(editing.id), { method: 'PATCH', body: values });
    if (picture) await api(promotionPath(saved.id, '/picture'), { method: 'PUT', body: picture });
    refresh();
    setEditing(null);
  };
  const withdraw = async (promotion: Promotion) => {
    setWithdrawing(null);
    setFailure(null);
    try {
      await api(promotionPath(promotion.id), { method: 'DELETE' });
      refresh();
    } catch (error) {
      setFailure(describe(error, t, language === 'en'));
    }
  };

  if (editing) {
    return (
      <>
        <h1>{editing === 'new' ? t('partner.newTitle') : t('partner.editTitle')}</h1>
        <PromotionForm
          key={editing === 'new' ? 'new' : editing.id}
          promotion={editing === 'new' ? undefined : editing}
          onSubmit={save}
          onCancel={() => setEditing(null)}
        />
      </>
    );
  }
  const items = promotions.data ?? [];
  return (
    <>
      <div className="heading-row">
        <h1>{t('partner.title')}</h1>
        <button type="button" onClick={() => setEditing('new')}>
          {t('partner.new')}
        </button>
      </div>
      <p className="muted small">{t('partner.explain')}</p>
      {failure && (
        <div className="alert" role="alert">
          {failure}
        </div>
      )}
      {promotions.isPending && <Loading />}
      {promotions.error && <div className="alert">{describe(promotions.error, t, language === 'en')}</div>}
      {promotions.isSuccess && items.length === 0 && <p className="muted">{t('partner.empty')}</p>}
      <ul className="list">
        {items.map((promotion) => (
          <PromotionItem
            key={promotion.id}
            promotion={promotion}
            onEdit={() => setEditing(promotion)}
            onWithdraw={() => setWithdrawing(promotion)}
          />
        ))}
      </ul>
      <ConfirmDialog
        open={withdrawing !== null}
        title={t('partner.withdrawTitle')}
        text={t('partner.withdrawText', { title: withdrawing?.title ?? '' })}
        confirmLabel={t('partner.withdraw')}
        danger
        onConfirm={() => withdrawing && withdraw(withdrawing)}
        onCancel={() => setWithdrawing(null)}
      />
    </>
  );
}
