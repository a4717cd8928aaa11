import { Link } from 'wouter';
import { useModerationActions } from '../../api/moderation';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { describe, Loading } from '../../ui/forms';
import { PersonName } from '../people/PersonName';
import { subjectHref } from './wording';

/** Every moderator action, newest first: what, about what, by whom, and why. */
export function ActionsLog() {
  const { t, language, locale } = useI18n();
  const actions = useModerationActions();
  const list = actions.data ?? [];
  return (
    <>
      {actions.isPending && <Loading />}
      {actions.error && <div className="alert">{describe(actions.error, t, language === 'en')}</div>}
      {actions.isSuccess && list.length === 0 && <p className="muted">{t('moderation.noActions')}</p>}
      {list.length > 0 && (
        <ul className="list card actions-log" data-testid="actions-log">
          {list.map((action) => {
            const href = subjectHref(action.subject, action.subject_id);
            const kind = t(`report.subject.${action.subject}`);
            return (
              <li key={action.id}>
                <p>
                  <strong>{t(`moderation.action.${action.action}`)}</strong>
                  {' · '}
                  {href ? <Link href={href}>{kind}</Link> : kind}
                  {' · '}
                  <time className="small muted" dateTime={action.created_at}>
                    {formatDateTime(action.created_at, locale)}
                  </time>
                </p>
                <p className="small">
                  {t('moderation.by')} <PersonName id={action.moderator_id} />
                  {' · '}
                  {t('moderation.author')} <PersonName id={action.target_id} />
                </p>
                <p className="quote">{action.reason}</p>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
