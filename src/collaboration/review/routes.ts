import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import type { App } from '../../http/types.js';
import { problems } from '../http.js';
import { ownerQuery, personSchema, shareSchema } from '../schemas.js';
import { actingTokenSchema } from '../tokens/schemas.js';
import { reviewAccess } from './list.js';

const reviewedShare = shareSchema.extend({ memberLabel: z.string().describe("The owner's alias for the member, else its name; for a team share, Team and the team's name") });

const reviewSchema = z.object({
  unusedDays: z.number().int(),
  unusedShares: z.array(reviewedShare).describe('Live shares no allowed action went through for unusedDays (never used ones made before that too)'),
  expiringShares: z.array(reviewedShare).describe('Shares ending within 7 days'),
  reviewDue: z.array(reviewedShare).describe('Live shares whose review date is within 7 days or past'),
  idleMembers: z.array(z.object({ memberId: z.string(), label: z.string(), user: personSchema, acceptedAt: z.string().nullable() })).describe('Active members holding shares who never used their access'),
  staleTokens: z.array(actingTokenSchema).describe('Live tokens acting in the account not used for unusedDays'),
});

/** Access review: what was granted and is not used, ends soon, or is due for a look. */
export function reviewRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/review', {
    config: { access: 'activeAccount', rule: rule('collaboration.review', inAccount('owner')) },
    schema: {
      tags: ['Collaboration — owner side'],
      summary: "The owner's access review: unused and expiring shares, shares due for review, idle members, stale tokens",
      description: 'Last use is recorded coarsely: at most once an hour per share, member and token. Remove or downgrade through the share routes.',
      querystring: z.strictObject({ ...ownerQuery, unusedDays: z.coerce.number().int().min(0).max(3650).default(30) }),
      response: { 200: reviewSchema, ...problems },
    },
    handler: async (request) => {
      const { account } = loaded(authorizedOf(request), 'account');
      return reviewAccess(ctx.db, account.owner.id, ctx.clock.now(), request.query.unusedDays);
    },
  });
}
