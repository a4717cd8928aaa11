import { useState } from 'react';
import { useT } from '../../i18n';
import { Field } from '../../ui/forms';

/** An invite-only competition's link, for its organiser to copy and hand out. */
export function InviteLink({ id, code }: { id: string; code: string }) {
  const t = useT();
  const link = `${location.origin}/competitions/${encodeURIComponent(id)}?code=${encodeURIComponent(code)}`;
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied('yes');
    } catch {
      // No clipboard here (an insecure origin, a refusal): the link is selected to copy by hand.
      setCopied('no');
    }
  };
  return (
    <div className="invite-link">
      <Field label={t('competitions.inviteLink')} hint={t('competitions.inviteHint')}>
        {(props) => (
          <div className="search-form">
            <input
              {...props}
              className="search-input"
              readOnly
              value={link}
              onFocus={(e) => e.target.select()}
              data-testid="invite-link"
            />
            <button type="button" className="secondary" onClick={copy}>
              {t('competitions.copy')}
            </button>
          </div>
        )}
      </Field>
      <p className="small" role="status">
        {copied === 'yes' && t('competitions.copied')}
        {copied === 'no' && t('competitions.copyByHand')}
      </p>
    </div>
  );
}
