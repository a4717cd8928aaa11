import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { equipmentPath, settle } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { Component, Equipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatCalendarDay } from '../../lib/dates';
import { formatDistance } from '../../lib/units';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe } from '../../ui/forms';
import { AddPart } from './AddPart';
import { WearBar } from './WearBar';

function usePartName() {
  const { t } = useI18n();
  return (part: Component) => part.name || t(`equipment.part.${part.kind}`);
}

function FittedPart({ part, onReplace }: { part: Component; onReplace: () => void }) {
  const { t, locale } = useI18n();
  const name = usePartName()(part);
  return (
    <li className="part" data-testid="part">
      <div className="heading-row">
        <span>
          <strong>{name}</strong>
          <span className="small muted">
            {' '}
            · {t('equipment.fittedSince', { day: formatCalendarDay(part.installed_at, locale) })}
          </span>
        </span>
        <button type="button" className="secondary small-button" onClick={onReplace}>
          {t('equipment.replace')}
        </button>
      </div>
      <WearBar
        label={t('equipment.wearOf', { name })}
        distance_m={part.usage.distance_m}
        threshold_m={part.threshold_m}
      />
    </li>
  );
}

function ReplacedPart({ part }: { part: Component }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const name = usePartName()(part);
  const from = formatCalendarDay(part.installed_at, locale);
  const to = part.removed_at ? formatCalendarDay(part.removed_at, locale) : '';
  return (
    <li className="part small">
      <strong>{name}</strong> · {t('equipment.fittedFromTo', { from, to })} ·{' '}
      {formatDistance(part.usage.distance_m, units, locale)}
    </li>
  );
}

/** The item's parts that wear on their own: fitted ones with their wear, then the history of replaced ones. */
export function Parts({ item }: { item: Equipment }) {
  const { t, language } = useI18n();
  const queries = useQueryClient();
  const partName = usePartName();
  const [adding, setAdding] = useState(false);
  const [replacing, setReplacing] = useState<Component | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fitted = item.components.filter((part) => !part.removed_at);
  const replaced = item.components.filter((part) => part.removed_at);

  const replace = async (part: Component) => {
    setReplacing(null);
    setFailure(null);
    try {
      await api(equipmentPath(item.id, `/components/${encodeURIComponent(part.id)}/replacement`), {
        method: 'POST',
        body: {},
      });
      settle(queries);
    } catch (error) {
      setFailure(describe(error, t, language === 'en'));
    }
  };

  return (
    <section aria-labelledby="parts-title">
      <div className="heading-row">
        <h2 id="parts-title">{t('equipment.parts')}</h2>
        {!adding && (
          <button type="button" className="secondary small-button" onClick={() => setAdding(true)}>
            {t('equipment.addPart')}
          </button>
        )}
      </div>
      {failure && (
        <div className="alert" role="alert">
          {failure}
        </div>
      )}
      {adding && <AddPart item={item} onDone={() => setAdding(false)} />}
      {fitted.length === 0 && !adding && <p className="muted small">{t('equipment.noParts')}</p>}
      {fitted.length > 0 && (
        <ul className="list card">
          {fitted.map((part) => (
            <FittedPart key={part.id} part={part} onReplace={() => setReplacing(part)} />
          ))}
        </ul>
      )}
      {replaced.length > 0 && (
        <>
          <h3 className="small muted">{t('equipment.replacedParts')}</h3>
          <ul className="list">
            {replaced.map((part) => (
              <ReplacedPart key={part.id} part={part} />
            ))}
          </ul>
        </>
      )}
      <ConfirmDialog
        open={replacing !== null}
        title={t('equipment.replaceTitle', { name: replacing ? partName(replacing) : '' })}
        text={t('equipment.replaceText')}
        confirmLabel={t('equipment.replace')}
        onConfirm={() => replacing && replace(replacing)}
        onCancel={() => setReplacing(null)}
      />
    </section>
  );
}
