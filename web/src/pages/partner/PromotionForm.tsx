import { useState } from 'react';
import { useSports } from '../../api/queries';
import type { EquipmentKind, NewPromotion, Promotion } from '../../api/types';
import { useI18n } from '../../i18n';
import { localInputToRfc3339, localInputValue } from '../../lib/dates';
import { EQUIPMENT_KINDS } from '../../lib/equipment';
import { REGION_CODES } from '../../lib/regions';
import { ChipChoice } from '../../ui/ChipChoice';
import { Field, FormError, Invalid, TextField } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';
import { useSportName } from '../workouts/sportName';

const PROMOTION_FIELDS = [
  'title',
  'body',
  'link',
  'starts_at',
  'ends_at',
  'kinds',
  'sports',
  'regions',
  'min_worn',
  'file',
  'picture',
];

const DAY_MS = 86_400_000;

interface Props {
  /** The offer being changed; none for a new one. */
  promotion?: Promotion;
  /** Saves the offer, then its picture when one was chosen. */
  onSubmit: (values: NewPromotion, picture: File | null) => Promise<void>;
  onCancel: () => void;
}

/** An offer's words, link, time and whom it is for; empty targeting means everyone. */
export function PromotionForm({ promotion, onSubmit, onCancel }: Props) {
  const { t } = useI18n();
  const sports = useSports();
  const sportName = useSportName();
  const [title, setTitle] = useState(promotion?.title ?? '');
  const [body, setBody] = useState(promotion?.body ?? '');
  const [link, setLink] = useState(promotion?.link ?? 'https://');
  const [starts, setStarts] = useState(
    localInputValue(promotion ? new Date(promotion.starts_at) : new Date()),
  );
  const [ends, setEnds] = useState(
    localInputValue(promotion ? new Date(promotion.ends_at) : new Date(Date.now() + 30 * DAY_MS)),
  );
  const [kinds, setKinds] = useState<EquipmentKind[]>(promotion?.kinds ?? []);
  const [forSports, setForSports] = useState<string[]>(promotion?.sports ?? []);
  const [regions, setRegions] = useState((promotion?.regions ?? []).join(', '));
  const [minWorn, setMinWorn] = useState(
    promotion?.min_worn != null ? String(Math.round(promotion.min_worn * 100)) : '',
  );
  const [picture, setPicture] = useState<File | null>(null);

  const form = useSubmit(PROMOTION_FIELDS, async () => {
    if (!title.trim()) throw new Invalid('title', t('partner.titleMissing'));
    if (!/^https?:\/\/\S+$/.test(link.trim())) throw new Invalid('link', t('partner.linkInvalid'));
    if (!starts) throw new Invalid('starts_at', t('partner.startsMissing'));
    if (!ends || new Date(ends) <= new Date(starts))
      throw new Invalid('ends_at', t('partner.endsBeforeStart'));
    const codes = regions
      .split(/[\s,;]+/)
      .map((code) => code.toUpperCase())
      .filter(Boolean);
    const unknown = codes.find((code) => !REGION_CODES.includes(code));
    if (unknown) throw new Invalid('regions', t('partner.regionUnknown', { code: unknown }));
    const percent = minWorn.trim() === '' ? null : Number(minWorn.replace(',', '.'));
    if (percent !== null && !(Number.isFinite(percent) && percent >= 0 && percent <= 1000))
      throw new Invalid('min_worn', t('partner.minWornInvalid'));
    await onSubmit(
      {
        title: title.trim(),
        body: body.trim(),
        link: link.trim(),
        starts_at: localInputToRfc3339(starts),
        ends_at: localInputToRfc3339(ends),
        kinds,
        sports: forSports,
        regions: codes,
        min_worn: percent === null ? null : percent / 100,
      },
      picture,
    );
  });

  return (
    <form onSubmit={form.onSubmit} noValidate className="card" data-testid="promotion-form">
      <FormError message={form.formError} />
      <TextField
        label={t('partner.field.title')}
        error={form.fieldError('title')}
        value={title}
        onChange={setTitle}
      />
      <Field label={t('partner.field.body')} error={form.fieldError('body')}>
        {(props) => (
          <textarea {...props} value={body} maxLength={1000} onChange={(e) => setBody(e.target.value)} />
        )}
      </Field>
      <Field label={t('partner.field.link')} hint={t('partner.linkHint')} error={form.fieldError('link')}>
        {(props) => <input {...props} type="url" value={link} onChange={(e) => setLink(e.target.value)} />}
      </Field>
      <div className="pair">
        <TextField
          label={t('partner.field.startsAt')}
          type="datetime-local"
          error={form.fieldError('starts_at')}
          value={starts}
          onChange={setStarts}
        />
        <TextField
          label={t('partner.field.endsAt')}
          type="datetime-local"
          error={form.fieldError('ends_at')}
          value={ends}
          onChange={setEnds}
        />
      </div>
      <ChipChoice
        legend={t('partner.field.kinds')}
        options={EQUIPMENT_KINDS.map((kind) => ({ value: kind, label: t(`equipment.kind.${kind}`) }))}
        chosen={kinds}
        onChange={setKinds}
        hint={t('partner.everyoneHint')}
        error={form.fieldError('kinds')}
      />
      <ChipChoice
        legend={t('partner.field.sports')}
        options={(sports.data ?? []).map((sport) => ({ value: sport.id, label: sportName(sport.id) }))}
        chosen={forSports}
        onChange={setForSports}
        hint={t('partner.everyoneHint')}
        error={form.fieldError('sports')}
      />
      <div className="pair">
        <TextField
          label={t('partner.field.regions')}
          hint={t('partner.regionsHint')}
          error={form.fieldError('regions')}
          placeholder="DE, AT, CH"
          value={regions}
          onChange={setRegions}
        />
        <TextField
          label={t('partner.field.minWorn')}
          hint={t('partner.minWornHint')}
          error={form.fieldError('min_worn')}
          inputMode="numeric"
          placeholder="80"
          value={minWorn}
          onChange={setMinWorn}
        />
      </div>
      <Field
        label={t('partner.field.picture')}
        hint={t('partner.pictureHint')}
        error={form.fieldError('file') ?? form.fieldError('picture')}
      >
        {(props) => (
          <input
            {...props}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            onChange={(e) => setPicture(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" disabled={form.pending}>
          {promotion ? t('edit.save') : t('partner.publish')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
