import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { equipmentPath, settle } from '../../api/equipment';
import type { Equipment } from '../../api/types';
import { useT } from '../../i18n';
import { Field, FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

/** The item's photo: a new one replaces it (sent as the file itself), or it is removed. */
export function PhotoEditor({ item }: { item: Equipment }) {
  const t = useT();
  const queries = useQueryClient();
  const change = useSubmit<File | null>(['file', 'photo'], async (file) => {
    const path = equipmentPath(item.id, '/photo');
    const answer = await api<Equipment | undefined>(
      path,
      file ? { method: 'PUT', body: file } : { method: 'DELETE' },
    );
    settle(queries, answer?.id ? answer : undefined);
  });
  return (
    <div className="photo-editor">
      <FormError message={change.formError ?? change.fieldError('file') ?? change.fieldError('photo')} />
      <Field
        label={item.photo ? t('equipment.photoReplace') : t('equipment.photoAdd')}
        hint={t('equipment.photoHint')}
      >
        {(props) => (
          <input
            {...props}
            type="file"
            accept="image/jpeg,image/png,image/webp"
            disabled={change.pending}
            onChange={(event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (file) change.run(file);
            }}
          />
        )}
      </Field>
      {item.photo && (
        <button type="button" className="link" disabled={change.pending} onClick={() => change.run(null)}>
          {t('equipment.photoRemove')}
        </button>
      )}
      {change.pending && (
        <span className="small muted" role="status">
          {t('common.saving')}
        </span>
      )}
    </div>
  );
}
