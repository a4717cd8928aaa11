import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation } from 'wouter';
import { api } from '../../api/client';
import { equipmentPath, settle } from '../../api/equipment';
import { keys } from '../../api/queries';
import type { Equipment } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

/** Edit, retire or bring back, and delete for good (after asking). */
export function ItemActions({ item }: { item: Equipment }) {
  const t = useT();
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  const [confirming, setConfirming] = useState(false);

  const retirement = useSubmit([], async () => {
    const changed = await api<Equipment>(equipmentPath(item.id, '/retirement'), {
      method: item.retired_on ? 'DELETE' : 'POST',
      body: item.retired_on ? undefined : {},
    });
    settle(queries, changed?.id ? changed : undefined);
  });
  const removal = useSubmit([], async () => {
    setConfirming(false);
    await api(equipmentPath(item.id), { method: 'DELETE' });
    queries.removeQueries({ queryKey: keys.equipmentItem(item.id) });
    settle(queries);
    navigate('/equipment', { replace: true });
  });

  return (
    <>
      <FormError message={retirement.formError ?? removal.formError} />
      <div className="actions" style={{ marginTop: '1.5rem' }}>
        <Link href={`/equipment/${item.id}/edit`} className="button secondary">
          {t('equipment.edit')}
        </Link>
        <button
          type="button"
          className="secondary"
          disabled={retirement.pending}
          onClick={() => retirement.onSubmit()}
        >
          {item.retired_on ? t('equipment.bringBack') : t('equipment.retire')}
        </button>
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          {t('equipment.delete')}
        </button>
      </div>
      {!item.retired_on && <p className="small muted">{t('equipment.retireHint')}</p>}
      <ConfirmDialog
        open={confirming}
        title={t('equipment.deleteTitle', { name: item.name })}
        text={t('equipment.deleteText')}
        confirmLabel={t('equipment.delete')}
        danger
        onConfirm={() => removal.onSubmit()}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
