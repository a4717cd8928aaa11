import type { Privacy } from '../../api/types';
import { useT } from '../../i18n';
import { Field } from '../../ui/forms';

export function PrivacySelect({
  value,
  onChange,
  error,
  label,
}: {
  value: Privacy;
  onChange: (value: Privacy) => void;
  error?: string;
  label?: string;
}) {
  const t = useT();
  return (
    <Field label={label ?? t('field.privacy')} error={error} hint={t(`privacy.${value}.hint`)}>
      {(props) => (
        <select {...props} value={value} onChange={(e) => onChange(e.target.value as Privacy)}>
          <option value="private">{t('privacy.private')}</option>
          <option value="followers">{t('privacy.followers')}</option>
          <option value="public">{t('privacy.public')}</option>
        </select>
      )}
    </Field>
  );
}
