import type { CompetitionStatus } from '../../api/types';
import { useT } from '../../i18n';

const PHASE: Record<CompetitionStatus, string | undefined> = {
  upcoming: undefined,
  running: 'running',
  finished: 'ended',
};

/** Upcoming, running or finished, as a small badge. */
export function StatusBadge({ status }: { status: CompetitionStatus }) {
  const t = useT();
  return (
    <span className="badge" data-phase={PHASE[status]} data-testid="competition-status">
      {t(`competitions.status.${status}`)}
    </span>
  );
}
