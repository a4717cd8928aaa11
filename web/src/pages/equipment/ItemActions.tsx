import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import { deleteEquipment, equipmentPath, type ListedEquipment, settle } from '../../api/equipment';
import type { Equipment, Retirement } from '../../api/types';
import { useI18n, useT } from '../../i18n';
import { formatCalendarDay, today } from '../../lib/dates';
import { useOnline } from '../../lib/online';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { Field, FormError, Invalid } from '../../ui/forms';
import { Modal } from '../../ui/Modal';
import { useSubmit } from '../../ui/useSubmit';

/**
 * Edit and delete for good (after asking) work offline, through the sync;
 * retiring (on a day chosen) and bringing back have routes of their own on
 * the server, so they wait for a network.
 */
export function ItemActions({ item }: { item: ListedEquipment }) {
  const t = useT();
  const queries = useQueryClient();
  const online = useOnline();
  const [, navigate] = useLocation();
  const [asking, setAsking] = useState<'retire' | 'delete' | null>(null);

  const bringBack = useSubmit([], async () => {
    const changed = await api<Equipment>(equipmentPath(item.id, '/retirement'), { method: 'DELETE' });
    settle(queries, changed?.id ? changed : undefined);
  });
  const removal = useSubmit([], async () => {
    setAsking(null);
    await deleteEquipment(item);
    settle(queries);
    navigate('/equipment', { replace: true });
  });

  return (
    <>
      <FormError message={bringBack.formError ?? removal.formError} />
      <div className="actions" style={{ marginTop: '1.5rem' }}>
        <Link href={`/equipment/${item.id}/edit`} className="button secondary">
          {t('equipment.edit')}
        </Link>
        {item.retired_on ? (
          <button
            type="button"
            className="secondary"
            disabled={bringBack.pending || !online || !item.onServer}
            onClick={() => bringBack.onSubmit()}
          >
            {t('equipment.bringBack')}
          </button>
        ) : (
          <button
            type="button"
            className="secondary"
            disabled={!online || !item.onServer}
            onClick={() => setAsking('retire')}
          >
            {t('equipment.retire')}
          </button>
        )}
        <button type="button" className="danger" onClick={() => setAsking('delete')}>
          {t('equipment.delete')}
        </button>
      </div>
      {!item.retired_on && <p className="small muted">{t('equipment.retireHint')}</p>}
      {!online && <p className="small muted">{t('sync.retireOffline')}</p>}
      <Modal
        open={asking === 'retire'}
        title={t('equipment.retireTitle', { name: item.name })}
        onClose={() => setAsking(null)}
      >
        <RetireForm item={item} onDone={() => setAsking(null)} />
      </Modal>
      <ConfirmDialog
        open={asking === 'delete'}
        title={t('equipment.deleteTitle', { name: item.name })}
        text={t('equipment.deleteText')}
        confirmLabel={t('equipment.delete')}
        danger
        onConfirm={() => removal.onSubmit()}
        onCancel={() => setAsking(null)}
      />
    </>
  );
}

/** The day it was retired: today unless chosen, not in the future and not before it was bought. */
function RetireForm({ item, onDone }: { item: Equipment; onDone: () => void }) {
  const { t, locale } = useI18n();
  const queries = useQueryClient();
  const [day, setDay] = useState(today());
  const bought = item.purchased_on?.slice(0, 10);

  const form = useSubmit(['retired_on'], async () => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Invalid('retired_on', t('equipment.retiredOnMissing'));
    if (day > today()) throw new Invalid('retired_on', t('equipment.retiredOnFuture'));
    if (bought && day < bought)
      throw new Invalid(
        'retired_on',
        t('equipment.retiredOnBeforePurchase', { day: formatCalendarDay(bought, locale) }),
      );
    const retirement: Retirement = { retired_on: day };
    const changed = await api<Equipment>(equipmentPath(item.id, '/retirement'), {
      method: 'POST',
      body: retirement,
    });
    settle(queries, changed?.id ? changed : undefined);
    onDone();
  });

  return (
    <form onSubmit={form.onSubmit} noValidate data-testid="retire-form">
      <FormError message={form.formError} />
      <p className="small muted">{t('equipment.retireHint')}</p>
      <Field label={t('equipment.field.retiredOn')} error={form.fieldError('retired_on')}>
        {(props) => (
          <input
            {...props}
            type="date"
            required
            min={bought}
            max={today()}
            value={day}
            onChange={(e) => {
              setDay(e.target.value);
              form.reset();
            }}
          />
        )}
      </Field>
      <div className="actions">
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" disabled={form.pending}>
          {t('equipment.retire')}
        </button>
      </div>
    </form>
  );
}
