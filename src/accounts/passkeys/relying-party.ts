import type { Config } from '../../config.js';

/**
 * Who the passkeys belong to, from PUBLIC_URL: the relying party id is its host name and the only origin accepted is
 * its origin. Browsers refuse an IP address as a relying party id, so passkeys need a name (`localhost` counts).
 */
export interface RelyingParty {
  id: string;
  name: string;
  origin: string;
}

export function relyingParty(config: Pick<Config, 'publicUrl'>): RelyingParty {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, name: 'Shareplane', origin: url.origin };
}
