import type { Caller } from '../../accounts/caller.js';
import { forbidden, invalidState, problem } from '../../http/errors.js';
import { statusAt, type TransferRow } from './load.js';

/** 410 `transfer_expired` once its 7 days ran out, 409 `invalid_state` once answered; passes a pending transfer. */
export function assertPending(transfer: TransferRow, now: Date): void {
  const status = statusAt(transfer, now);
  if (status === 'expired') {
    throw problem(410, 'transfer_expired', 'Transfer expired', `This transfer expired on ${transfer.expiresAt.toISOString()}. The owner may ask again.`, {
      expiredAt: transfer.expiresAt.toISOString(),
    });
  }
  if (status !== 'pending') throw invalidState(`This transfer was already ${status}.`);
}

/**
 * A transfer moves an environment between whole accounts: only the account holder's session or unscoped token answers
 * it. Checked once the transfer is known to be the caller's, so anyone else still gets the 404.
 */
export function assertUnscoped(caller: Caller): void {
  if (caller.tokenScope) throw forbidden('A scoped API token cannot answer environment transfers: use your session or an unscoped token.');
}
