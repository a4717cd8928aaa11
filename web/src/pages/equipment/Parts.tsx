import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { equipmentPath, settle } from '../../api/equipment';
import { useUnits } from '../../api/queries';
import type { Component, ComponentChanges, Equipment } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatCalendarDay } from '../../lib/dates';
import { distanceUnit, formatDistance, toMetres } from '../../lib/units';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { describe, FormError, Invalid, TextField } from '../../ui/forms';
import { MenuButton } from '../../ui/MenuButton';
import { useSubmit } from '../../ui/useSubmit';
import { AddPart } from './AddPart';
import { WearBar } from './WearBar';

function usePartName() {
  const { t } = useI18n();
  return (part: Component) => part.name || t(`equipment.part.${part.kind}`);
}

function partPath(item: Equipment, part: Component, rest = '') {
  return equipmentPath(item.id, `/components/${encodeURIComponent(part.id)}${rest}`);
}

const PART_CHANGE_FIELDS = ['name', 'threshold_m'];

/** A fitted part's name and warning distance (in the person's units); only what changed is sent. */
function ChangePart({ item, part, onDone }: { item: Equipment; part: Component; onDone: () => void }) {
  const { t, locale } = useI18n();
  const units = useUnits();
  const queries = useQueryClient();
  const shownBefore = part.threshold_m ? String(+(part.threshold_m / toMetres(1, units)).toFixed(1)) : '';
  const [name, setName] = useState(part.name);
  const [threshold, setThreshold] = useState(shownBefore);

  const form = useSubmit(PART_CHANGE_FIELDS, async () => {
    const changes: ComponentChanges = {};
    if (name.trim() !== part.name) changes.name = name.trim();
    // Untouched, the threshold is not sent: shown rounded, it would drift in the other units.
    if (threshold.trim() !== shownBefore) {
      const value = Number(threshold.replace(',', '.'));
      if (threshold.trim() !== '' && !(Number.isFinite(value) && value > 0))
        throw new Invalid('threshold_m', t('equipment.thresholdInvalid'));
      changes.threshold_m = threshold.trim() === '' ? null : toMetres(value, units);
    }
    if (Object.keys(changes).length > 0) {
      await api<Component>(partPath(item, part), { method: 'PATCH', body: changes });
      settle(queries);
    }
    onDone();
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="part-form" data-testid="part-change-form">
      <FormError message={form.formError} />
      <div className="pair">
        <TextField
          label={t('equipment.field.partName')}
          error={form.fieldError('name')}
          placeholder={t(`equipment.part.${part.kind}`)}
          value={name}
          onChange={setName}
        />
        <TextField
          label={t('equipment.field.threshold', { unit: distanceUnit(units, locale) })}
          hint={t('equipment.thresholdHint')}
          error={form.fieldError('threshold_m')}
          inputMode="decimal"
          value={threshold}
          onChange={setThreshold}
        />
      </div>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {t('common.save')}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface FittedProps {
  item: Equipment;
  part: Component;
  onReplace: () => void;
  onDelete: () => void;
}

function FittedPart({ item, part, onReplace, onDelete }: FittedProps) {
  const { t, locale } = useI18n();
  const name = usePartName()(part);
  const [changing, setChanging] = useState(false);
  return (
    <li className="part" data-testid="part">
      <div className="heading-row">
        <span className="part-title">
          <strong>{name}</strong>
          <span className="small muted part-since">
            <span className="part-dot"> · </span>
            {t('equipment.fittedSince', { day: formatCalendarDay(part.installed_at, locale) })}
          </span>
        </span>
        {!changing && (
          <span className="part-actions">
            <button type="button" className="secondary small-button" onClick={onReplace}>
              {t('equipment.replace')}
            </button>
            <MenuButton label={t('equipment.partMenu', { name })}>
              <button type="button" className="plain" onClick={() => setChanging(true)}>
                {t('equipment.changePart')}
              </button>
              <button type="button" className="plain danger-text" onClick={onDelete}>
                {t('equipment.deletePart')}
              </button>
            </MenuButton>
          </span>
        )}
      </div>
      {changing ? (
        <ChangePart item={item} part={part} onDone={() => setChanging(false)} />
      ) : (
        <WearBar
          label={t('equipment.wearOf', { name })}
          distance_m={part.usage.distance_m}
          threshold_m={part.threshold_m}
        />
      )}
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
  const [asking, setAsking] = useState<{ part: Component; to: 'replace' | 'delete' } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fitted = item.components.filter((part) => !part.removed_at);
  const replaced = item.components.filter((part) => part.removed_at);
  const asked = asking ? partName(asking.part) : '';

  const act = async (write: () => Promise<unknown>) => {
    setAsking(null);
    setFailure(null);
    try {
      await write();
      settle(queries);
    } catch (error) {
      setFailure(describe(error, t, language === 'en'));
    }
  };
  const replace = (part: Component) =>
    act(() => api(partPath(item, part, '/replacement'), { method: 'POST', body: {} }));
  // For a part entered by mistake: its history goes with it.
  const remove = (part: Component) => act(() => api(partPath(item, part), { method: 'DELETE' }));

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
            <FittedPart
              key={part.id}
              item={item}
              part={part}
              onReplace={() => setAsking({ part, to: 'replace' })}
              onDelete={() => setAsking({ part, to: 'delete' })}
            />
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
        open={asking?.to === 'replace'}
        title={t('equipment.replaceTitle', { name: asked })}
        text={t('equipment.replaceText')}
        confirmLabel={t('equipment.replace')}
        onConfirm={() => asking && replace(asking.part)}
        onCancel={() => setAsking(null)}
      />
      <ConfirmDialog
        open={asking?.to === 'delete'}
        title={t('equipment.deletePartTitle', { name: asked })}
        text={t('equipment.deletePartText')}
        confirmLabel={t('equipment.deletePart')}
        danger
        onConfirm={() => asking && remove(asking.part)}
        onCancel={() => setAsking(null)}
      />
    </section>
  );
}
