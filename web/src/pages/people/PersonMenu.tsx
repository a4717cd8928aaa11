import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { setBlocked } from '../../api/follows';
import type { Person } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { MenuButton } from '../../ui/MenuButton';
import { useSubmit } from '../../ui/useSubmit';
import { ReportDialog } from '../moderation/ReportDialog';

/** What else may be done about someone: report their profile, or block them (asked first). */
export function PersonMenu({ person }: { person: Person }) {
  const t = useT();
  const queries = useQueryClient();
  const [asking, setAsking] = useState<'block' | 'report' | null>(null);
  const block = useSubmit([], async () => {
    setAsking(null);
    await setBlocked(queries, person.id, true);
  });
  return (
    <>
      <MenuButton label={t('person.more', { name: person.display_name })}>
        <button type="button" className="plain" onClick={() => setAsking('report')}>
          {t('report.profile')}
        </button>
        <button type="button" className="plain danger-text" onClick={() => setAsking('block')}>
          {t('block.block')}
        </button>
      </MenuButton>
      <FormError message={block.formError} />
      <ConfirmDialog
        open={asking === 'block'}
        title={t('block.title', { name: person.display_name })}
        text={t('block.text')}
        confirmLabel={t('block.block')}
        danger
        onConfirm={() => block.onSubmit()}
        onCancel={() => setAsking(null)}
      />
      <ReportDialog
        open={asking === 'report'}
        subject="profile"
        id={person.id}
        onClose={() => setAsking(null)}
      />
    </>
  );
}
