import { useMyReports } from '../../api/moderation';
import { useI18n } from '../../i18n';
import { describe, Loading } from '../../ui/forms';
import { ReportSummary } from './ReportSummary';

/** `/reports`: what the person reported, newest first, and what the administrators did. */
export default function MyReports() {
  const { t, language } = useI18n();
  const reports = useMyReports();
  const list = reports.data ?? [];
  return (
    <>
      <h1>{t('reports.title')}</h1>
      <p className="muted">{t('reports.explain')}</p>
      {reports.isPending && <Loading />}
      {reports.error && <div className="alert">{describe(reports.error, t, language === 'en')}</div>}
      {reports.isSuccess && list.length === 0 && <p className="muted">{t('reports.none')}</p>}
      {list.length > 0 && (
        <ul className="list card reports" data-testid="my-reports">
          {list.map((report) => (
            <li key={report.id}>
              <ReportSummary report={report} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
