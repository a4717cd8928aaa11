import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation } from 'wouter';
import { createCompetition, useIsOrganiser } from '../../api/competitions';
import { useT } from '../../i18n';
import { CompetitionForm } from './CompetitionForm';

/** `/competitions/new`: an organiser (or administrator) sets up a competition, then lands on its page. */
export default function NewCompetition() {
  const t = useT();
  const queries = useQueryClient();
  const organiser = useIsOrganiser();
  const [, navigate] = useLocation();
  if (!organiser) {
    return (
      <>
        <h1>{t('competitions.newTitle')}</h1>
        <p className="notice">{t('problem.not-organiser')}</p>
        <Link href="/competitions">{t('competitions.back')}</Link>
      </>
    );
  }
  return (
    <>
      <h1>{t('competitions.newTitle')}</h1>
      <CompetitionForm
        onSubmit={async (values) => {
          const made = await createCompetition(queries, values);
          navigate(`/competitions/${made.id}`);
        }}
        onCancel={() => navigate('/competitions')}
      />
    </>
  );
}
