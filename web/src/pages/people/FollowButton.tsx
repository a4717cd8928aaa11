import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { setFollowing } from '../../api/follows';
import type { Profile } from '../../api/types';
import { useT } from '../../i18n';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { FormError } from '../../ui/forms';
import { useSubmit } from '../../ui/useSubmit';

/** Follow (or ask to, for a private profile); requested; following. Stopping is asked first. */
export function FollowButton({ profile }: { profile: Profile }) {
  const t = useT();
  const queries = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const change = useSubmit<boolean>([], async (follow) => {
    setConfirming(false);
    await setFollowing(queries, profile.id, follow);
  });
  const state = profile.you_follow;
  const name = profile.display_name;
  return (
    <>
      {state === 'none' ? (
        <button type="button" disabled={change.pending} onClick={() => change.run(true)}>
          {profile.private ? t('follow.ask') : t('follow.follow')}
        </button>
      ) : (
        <button
          type="button"
          className="secondary"
          disabled={change.pending}
          onClick={() => setConfirming(true)}
        >
          {state === 'pending' ? t('follow.requested') : t('follow.following')}
        </button>
      )}
      <FormError message={change.formError} />
      <ConfirmDialog
        open={confirming}
        title={state === 'pending' ? t('follow.withdrawTitle') : t('follow.stopTitle', { name })}
        text={state === 'pending' ? t('follow.withdrawText', { name }) : t('follow.stopText')}
        confirmLabel={state === 'pending' ? t('follow.withdraw') : t('follow.stop')}
        onConfirm={() => change.run(false)}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
