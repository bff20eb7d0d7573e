import { z } from 'zod';

/** A token's scope as answers show it: the account it acts in, the resources and the permissions it is held to. */
export const tokenScopeView = z.object({
  ownerId: z.string(),
  resources: z.array(z.object({ type: z.enum(['account', 'group', 'environment']), id: z.string().optional() })).readonly(),
  permissions: z.array(z.string()).readonly(),
});
