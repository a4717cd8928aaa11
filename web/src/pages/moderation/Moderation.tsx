import { useState } from 'react';
import { useIsAdmin } from '../../api/moderation';
import { useT } from '../../i18n';
import { ActionsLog } from './ActionsLog';
import { Queue } from './Queue';

type Tab = 'queue' | 'log';

/** `/moderation`, for administrators: the open reports to decide, and the log of what was done. */
export default function Moderation() {
  const t = useT();
  const admin = useIsAdmin();
  const [tab, setTab] = useState<Tab>('queue');
  if (!admin) {
    return (
      <>
        <h1>{t('moderation.title')}</h1>
        <p>{t('moderation.onlyAdmins')}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t('moderation.title')}</h1>
      <fieldset className="segmented">
        <legend className="visually-hidden">{t('moderation.show')}</legend>
        {(['queue', 'log'] as const).map((value) => (
          <button key={value} type="button" aria-pressed={tab === value} onClick={() => setTab(value)}>
            {t(`moderation.tab.${value}`)}
          </button>
        ))}
      </fieldset>
      {tab === 'queue' ? <Queue /> : <ActionsLog />}
    </>
  );
}
