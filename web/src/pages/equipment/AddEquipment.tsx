import { addEquipment } from '../../api/equipment';
import type { NewEquipment } from '../../api/types';
import { useT } from '../../i18n';
import { newId } from '../../lib/id';
import { EquipmentForm } from './EquipmentForm';

/**
 * A new item, made with an id chosen here: kept on the device first and sent
 * at once when there is a network (a refusal shows in the form); without one
 * it waits, and a create sent twice still makes one item.
 */
export function AddEquipment({ onDone }: { onDone: () => void }) {
  const t = useT();
  const save = async (values: NewEquipment) => {
    await addEquipment({ ...values, id: newId() });
    onDone();
  };
  return (
    <section aria-labelledby="add-equipment-title">
      <h2 id="add-equipment-title">{t('equipment.addTitle')}</h2>
      <EquipmentForm submitLabel={t('equipment.add')} onSubmit={save} onCancel={onDone} />
    </section>
  );
}
