import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter';
import { changeEquipment, useEquipmentItem } from '../../api/equipment';
import type { Equipment, EquipmentChanges, NewEquipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { EquipmentForm } from './EquipmentForm';

/** Only what differs from the item: a change that waits offline then sets no more than the person changed. */
function changesTo(item: Equipment, values: NewEquipment): EquipmentChanges {
  const changes: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const before = item[field as keyof Equipment] ?? null;
    if (JSON.stringify(before) !== JSON.stringify(value ?? null)) changes[field] = value;
  }
  return changes as EquipmentChanges;
}

export default function EditEquipment({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [, navigate] = useLocation();
  const queries = useQueryClient();
  const equipment = useEquipmentItem(id);
  const item = equipment.item;

  if (!item && equipment.isPending) return <Loading />;
  if (!item) return <div className="alert">{describe(equipment.error, t, language === 'en')}</div>;

  const save = async (values: NewEquipment) => {
    const changes = changesTo(item, values);
    if (Object.keys(changes).length > 0) await changeEquipment(queries, item, changes);
    navigate(`/equipment/${id}`);
  };

  return (
    <>
      <h1>{t('equipment.editTitle', { name: item.name })}</h1>
      <EquipmentForm
        item={item}
        submitLabel={t('edit.save')}
        onSubmit={save}
        onCancel={() => navigate(`/equipment/${id}`)}
      />
    </>
  );
}
