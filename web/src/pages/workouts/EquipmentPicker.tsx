import { Link } from 'wouter';
import { useEquipmentList } from '../../api/equipment';
import { useT } from '../../i18n';
import { defaultsFor } from '../../lib/equipment';
import { ChipChoice } from '../../ui/ChipChoice';

/** The person's defaults for a sport, once their equipment is known (offline too, from the device's copy). */
export function useDefaultEquipment(sport: string): string[] | undefined {
  const items = useEquipmentList('active').items;
  return items && defaultsFor(items, sport);
}

interface Props {
  /** The training's sport, whose defaults are chosen until the person changes the choice; none for uploads. */
  sport?: string;
  /** The ids chosen; null while the person has not chosen (the defaults apply). */
  chosen: string[] | null;
  onChange: (ids: string[]) => void;
  error?: string;
}

/** Which equipment a training used: the active items, and any retired one the training already names. */
export function EquipmentPicker({ sport, chosen, onChange, error }: Props) {
  const t = useT();
  const active = useEquipmentList('active').items ?? [];
  const missing = (chosen ?? []).filter((id) => !active.some((item) => item.id === id));
  const retired = useEquipmentList('all', missing.length > 0).items ?? [];
  const options = [...active, ...retired.filter((item) => missing.includes(item.id))];

  if (options.length === 0) {
    return (
      <p className="small muted">
        {t('picker.none')} <Link href="/equipment">{t('picker.add')}</Link>
      </p>
    );
  }
  const hint = chosen !== null ? undefined : sport ? t('picker.defaults') : t('picker.fileDefaults');
  return (
    <ChipChoice
      legend={t('picker.legend')}
      options={options.map((item) => ({ value: item.id, label: item.name }))}
      chosen={chosen ?? (sport ? defaultsFor(active, sport) : [])}
      onChange={onChange}
      hint={hint}
      error={error}
      testId="equipment-picker"
    />
  );
}
