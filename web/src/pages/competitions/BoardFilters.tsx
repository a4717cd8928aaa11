import { useState } from 'react';
import type { BoardFilters as Filters } from '../../api/competitions';
import type { Team } from '../../api/types';
import { useT } from '../../i18n';
import { Field } from '../../ui/forms';

const SEXES = ['female', 'male'];
const AGE_GROUPS = ['u20', '20-29', '30-39', '40-49', '50-59', '60+'];
const WEIGHT_CLASSES = ['u60', '60-70', '70-80', '80-90', '90+'];

interface Props {
  filters: Filters;
  onChange: (filters: Filters) => void;
  teams: Team[];
}

/** Narrowing a board (behind a disclosure): by sex, age group, weight class, team, or to the people one follows. */
export function BoardFilters({ filters, onChange, teams }: Props) {
  const t = useT();
  // Open from the start where there is room for them in a row; a phone opens them when wanted.
  const [open, setOpen] = useState(() => window.matchMedia('(min-width: 720px)').matches);
  const active = Object.values(filters).filter(Boolean).length;
  const set = (name: keyof Filters, value: string | boolean) =>
    onChange({ ...filters, [name]: value === '' || value === false ? undefined : value });
  const ageLabel = (group: string) =>
    group === 'u20'
      ? t('competitions.ageUnder', { age: 20 })
      : group === '60+'
        ? t('competitions.ageOver', { age: 60 })
        : group.replace('-', '–');
  const weightLabel = (weight: string) =>
    weight === 'u60'
      ? t('competitions.weightUnder', { kg: 60 })
      : weight === '90+'
        ? t('competitions.weightOver', { kg: 90 })
        : t('competitions.weightRange', { range: weight.replace('-', '–') });
  return (
    <details className="board-filters" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid="filters-toggle">
        {active > 0 ? t('competitions.filtersActive', { count: active }) : t('competitions.filters')}
      </summary>
      <fieldset className="filter-grid" data-testid="board-filters">
        <legend className="visually-hidden">{t('competitions.filters')}</legend>
        <Field label={t('competitions.filter.sex')}>
          {(props) => (
            <select {...props} value={filters.sex ?? ''} onChange={(e) => set('sex', e.target.value)}>
              <option value="">{t('competitions.filter.everyone')}</option>
              {SEXES.map((sex) => (
                <option key={sex} value={sex}>
                  {t(`competitions.sex.${sex as 'female' | 'male'}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('competitions.filter.age')}>
          {(props) => (
            <select
              {...props}
              value={filters.age_group ?? ''}
              onChange={(e) => set('age_group', e.target.value)}
            >
              <option value="">{t('competitions.filter.allAges')}</option>
              {AGE_GROUPS.map((group) => (
                <option key={group} value={group}>
                  {ageLabel(group)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('competitions.filter.weight')}>
          {(props) => (
            <select
              {...props}
              value={filters.weight_class ?? ''}
              onChange={(e) => set('weight_class', e.target.value)}
            >
              <option value="">{t('competitions.filter.allWeights')}</option>
              {WEIGHT_CLASSES.map((weight) => (
                <option key={weight} value={weight}>
                  {weightLabel(weight)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {teams.length > 0 && (
          <Field label={t('competitions.filter.team')}>
            {(props) => (
              <select {...props} value={filters.team ?? ''} onChange={(e) => set('team', e.target.value)}>
                <option value="">{t('competitions.filter.allTeams')}</option>
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <label className="chip following-chip">
          <input
            type="checkbox"
            checked={filters.following ?? false}
            onChange={(e) => set('following', e.target.checked)}
          />
          <span>{t('competitions.filter.following')}</span>
        </label>
      </fieldset>
    </details>
  );
}
