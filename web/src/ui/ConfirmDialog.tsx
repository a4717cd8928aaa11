import { useId } from 'react';
import { useT } from '../i18n';
import { Modal } from './Modal';

interface Props {
  open: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirming button is red: the action destroys something. */
  danger?: boolean;
}

/**
 * A question asked in the app instead of the browser's `confirm`, in a
 * modal dialog. Cancel has the focus first, so a stray Enter destroys nothing.
 */
export function ConfirmDialog({ open, title, text, confirmLabel, onConfirm, onCancel, danger }: Props) {
  const t = useT();
  const id = useId();
  return (
    <Modal open={open} title={title} onClose={onCancel} describedBy={`${id}-text`}>
      <p id={`${id}-text`}>{text}</p>
      <div className="actions">
        {/* biome-ignore lint/a11y/noAutofocus: the safe choice takes the focus when the dialog opens */}
        <button type="button" className="secondary" autoFocus onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className={danger ? 'danger' : undefined} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
