import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { keepCopy, keys } from '../../api/queries';
import type { Account, AccountChange } from '../../api/types';

/** Changes the account and puts the answer in the cache and the device's copy. */
export function useAccountChange() {
  const queries = useQueryClient();
  return async (change: AccountChange) => {
    const account = await api<Account>('/api/v1/account', { method: 'PATCH', body: change });
    queries.setQueryData(keys.account, account);
    keepCopy('account', account);
    return account;
  };
}
