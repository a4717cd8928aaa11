import { Link } from 'wouter';
import { useEquipmentList } from '../../api/equipment';
import { useT } from '../../i18n';

/** The equipment a training was done with, for its owner: names linking to each item. */
export function UsedEquipment({ ids }: { ids: string[] }) {
  const t = useT();
  const items = useEquipmentList('all', ids.length > 0).items ?? [];
  const used = items.filter((item) => ids.includes(item.id));
  if (used.length === 0) return null;
  return (
    <p data-testid="used-equipment">
      <span className="muted">{t('workout.equipment')}: </span>
      {used.map((item, index) => (
        <span key={item.id}>
          {index > 0 && ', '}
          <Link href={`/equipment/${item.id}`}>{item.name}</Link>
        </span>
      ))}
    </p>
  );
}
