import { useQueryClient } from '@tanstack/react-query';
import { addEquipment } from '../../api/equipment';
import type { NewEquipment } from '../../api/types';
import { useT } from '../../i18n';
import { newId } from '../../lib/id';
import { EquipmentForm } from './EquipmentForm';

/**
 * A new item, made with an id chosen here: sent at once, or kept in the
 * outbox without a network, and a create sent twice still makes one item.
 */
export function AddEquipment({ onDone }: { onDone: () => void }) {
  const t = useT();
  const queries = useQueryClient();
  const save = async (values: NewEquipment) => {
    await addEquipment(queries, { ...values, id: newId() });
    onDone();
  };
  return (
    <section aria-labelledby="add-equipment-title">
      <h2 id="add-equipment-title">{t('equipment.addTitle')}</h2>
      <EquipmentForm submitLabel={t('equipment.add')} onSubmit={save} onCancel={onDone} />
    </section>
  );
}
