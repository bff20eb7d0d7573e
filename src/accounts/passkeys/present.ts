import type { passkeys } from '../../db/schema/index.js';

export type Passkey = typeof passkeys.$inferSelect;

/** A passkey as its holder sees it: never the key itself. */
export function presentPasskey(passkey: Passkey) {
  return {
    id: passkey.id,
    name: passkey.name,
    backedUp: passkey.backedUp,
    transports: passkey.transports,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  };
}
