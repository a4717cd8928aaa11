import { useState } from 'react';
import { Link } from 'wouter';
import { type EquipmentState, useEquipmentList } from '../../api/equipment';
import { useIsPartner } from '../../api/promotions';
import { useSports } from '../../api/queries';
import { useI18n } from '../../i18n';
import { useOnline } from '../../lib/online';
import { describe, Loading } from '../../ui/forms';
import { AddEquipment } from './AddEquipment';
import { EquipmentCard } from './EquipmentCard';
import { Offers } from './Offers';

type Shown = Exclude<EquipmentState, 'all'>;

/** The person's equipment in use (or retired), a way to add more, and a few offers below. */
export default function EquipmentList() {
  const { t, language } = useI18n();
  const online = useOnline();
  const partner = useIsPartner();
  const [state, setState] = useState<Shown>('active');
  const [adding, setAdding] = useState(false);
  const list = useEquipmentList(state);
  // Asked here too, so the add form has the sports (kept on the device) when it opens offline.
  useSports();
  const items = list.items ?? [];

  return (
    <>
      <div className="heading-row">
        <h1>{t('equipment.title')}</h1>
        {!adding && (
          <button type="button" onClick={() => setAdding(true)}>
            {t('equipment.add')}
          </button>
        )}
      </div>
      {adding && <AddEquipment onDone={() => setAdding(false)} />}
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('equipment.show')}</legend>
        {(['active', 'retired'] as Shown[]).map((s) => (
          <button key={s} type="button" aria-pressed={state === s} onClick={() => setState(s)}>
            {t(`equipment.state.${s}`)}
          </button>
        ))}
      </fieldset>
      {!list.items &&
        list.isPending &&
        (online ? <Loading /> : <p className="muted">{t('equipment.offline')}</p>)}
      {list.error && !list.items && <div className="alert">{describe(list.error, t, language === 'en')}</div>}
      {list.items && items.length === 0 && (
        <p className="muted">{state === 'active' ? t('equipment.empty') : t('equipment.noneRetired')}</p>
      )}
      <ul className="list equipment-grid" data-testid="equipment">
        {items.map((item) => (
          <EquipmentCard key={item.id} item={item} />
        ))}
      </ul>
      {state === 'active' && <Offers />}
      {partner && (
        <p className="small">
          <Link href="/partner/offers">{t('partner.manage')}</Link>
        </p>
      )}
    </>
  );
}
