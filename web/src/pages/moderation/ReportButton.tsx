import { useState } from 'react';
import type { ReportSubject } from '../../api/types';
import { ReportDialog } from './ReportDialog';

interface Props {
  subject: ReportSubject;
  id: string;
  label: string;
  className?: string;
}

/** A button that opens the report dialog for one thing. */
export function ReportButton({ subject, id, label, className = 'link' }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={className} onClick={() => setOpen(true)}>
        {label}
      </button>
      <ReportDialog open={open} subject={subject} id={id} onClose={() => setOpen(false)} />
    </>
  );
}
