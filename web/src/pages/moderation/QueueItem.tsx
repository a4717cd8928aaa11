import type { Report } from '../../api/types';
import { useT } from '../../i18n';
import { PersonName } from '../people/PersonName';
import { DecisionForm } from './DecisionForm';
import { ReportSummary } from './ReportSummary';

/** One open report for an administrator: the content itself, who reported whom, and the decision. */
export function QueueItem({ report, onDecided }: { report: Report; onDecided: (report: Report) => void }) {
  const t = useT();
  return (
    <li className="card queue-item" data-testid="queue-item">
      <ReportSummary report={report} />
      <p className="small">
        {t('moderation.reportedBy')} {report.reporter_id ? <PersonName id={report.reporter_id} /> : '—'}
        {' · '}
        {t('moderation.author')} {report.subject_owner ? <PersonName id={report.subject_owner} /> : '—'}
      </p>
      <blockquote className="reported-content">
        {report.content ? report.content : <span className="muted">{t('moderation.noContent')}</span>}
      </blockquote>
      <DecisionForm report={report} onDecided={onDecided} />
    </li>
  );
}
