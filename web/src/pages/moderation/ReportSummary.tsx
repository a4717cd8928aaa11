import { Link } from 'wouter';
import type { Report } from '../../api/types';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { outcomeKey, subjectHref } from './wording';

/** What was reported, why, when, and where it stands: shared by "my reports" and the queue. */
export function ReportSummary({ report }: { report: Report }) {
  const { t, locale } = useI18n();
  const href = subjectHref(report.subject, report.subject_id);
  const kind = t(`report.subject.${report.subject}`);
  const outcome = report.outcome ? outcomeKey(report.outcome) : undefined;
  return (
    <div className="report-summary">
      <p>
        <strong>{href ? <Link href={href}>{kind}</Link> : kind}</strong>
        {' · '}
        {t(`report.reason.${report.reason}`)}
        {' · '}
        <time className="small muted" dateTime={report.created_at}>
          {formatDateTime(report.created_at, locale)}
        </time>
      </p>
      {report.details && <p className="quote">{report.details}</p>}
      <p className="small" data-testid="report-state">
        {report.state === 'open' ? (
          <span className="badge">{t('reports.open')}</span>
        ) : (
          <>
            <span className="badge" data-phase="ended">
              {t(report.state === 'dismissed' ? 'reports.dismissed' : 'reports.actioned')}
            </span>{' '}
            {report.outcome && (outcome ? t(outcome) : report.outcome)}
          </>
        )}
      </p>
    </div>
  );
}
