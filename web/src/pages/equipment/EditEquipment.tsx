import { useRef } from 'react';
import { useLocation } from 'wouter';
import { changeEquipment, useEquipmentItem } from '../../api/equipment';
import type { Equipment, EquipmentChanges, NewEquipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { sameValue } from '../../offline/conflicts';
import { describe, Loading } from '../../ui/forms';
import { EquipmentForm } from './EquipmentForm';

/** Only what differs from the item: a change that waits offline then sets no more than the person changed. */
function changesTo(item: Equipment, values: NewEquipment): EquipmentChanges {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const before = item[field as keyof Equipment] ?? null;
    if (!sameValue(field, before, value ?? null)) changes[field] = value;
  }
  return changes as EquipmentChanges;
}

export default function EditEquipment({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const equipment = useEquipmentItem(id);
  const item = equipment.item;
  // What the form opened with: a change arriving from elsewhere meanwhile is not undone by saving.
  const opened = useRef<Equipment | undefined>(undefined);
  if (item && !opened.current) opened.current = item;

  if (!item && equipment.isPending) return <Loading />;
  if (!item) {
    if (equipment.deleted) return <p className="muted">{t('sync.deletedHere')}</p>;
    return <div className="alert">{describe(equipment.error, t, language === 'en')}</div>;
  }

  const save = async (values: NewEquipment) => {
    const changes = changesTo(opened.current ?? item, values);
    await changeEquipment(item, changes);
    navigate(`/equipment/${id}`);
  };

  return (
    <>
      <h1>{t('equipment.editTitle', { name: item.name })}</h1>
      <EquipmentForm
        key={item.id}
        item={opened.current ?? item}
        submitLabel={t('edit.save')}
        onSubmit={save}
        onCancel={() => navigate(`/equipment/${id}`)}
      />
    </>
  );
}
