import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, idParams, page, pageQuery } from '../../http/types.js';
import { problems } from '../http.js';
import { acceptCollaboration } from '../invitations/accept.js';
import { rejectCollaboration } from '../invitations/reject.js';
import { collaborationSchema } from '../schemas.js';
import { leaveCollaboration } from './leave.js';
import { listMyCollaborations } from './mine.js';

const tags = ['Collaboration — member side'];
const answer = z.object({ collaboration: collaborationSchema });

/** The member's side: the accounts it collaborates with, its invitations, accept, reject and leave. */
export function myCollaborationRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaborations', {
    // An ended trial may still see and leave its collaborations.
    config: { access: 'signedIn' },
    schema: {
      tags,
      summary: 'Accounts I collaborate with and my pending invitations (never the owner’s alias)',
      querystring: z.strictObject(pageQuery),
      response: { 200: page(collaborationSchema), ...problems },
    },
    handler: async (request) => listMyCollaborations(ctx, callerOf(request), request.query.limit, request.query.cursor),
  });

  app.post('/api/v1/collaborations/:id/accept', {
    config: { access: 'activeAccount' },
    schema: { tags, summary: 'Accept an invitation to my verified address', params: idParams, response: { 200: answer, ...problems } },
    handler: async (request) => ({ collaboration: await acceptCollaboration(ctx, requestMeta(request), callerOf(request), request.params.id) }),
  });

  app.post('/api/v1/collaborations/:id/reject', {
    config: { access: 'activeAccount' },
    schema: { tags, summary: 'Decline an invitation to my verified address', params: idParams, response: { 200: answer, ...problems } },
    handler: async (request) => ({ collaboration: await rejectCollaboration(ctx, requestMeta(request), callerOf(request), request.params.id) }),
  });

  app.post('/api/v1/collaborations/:id/leave', {
    config: { access: 'signedIn' },
    schema: { tags, summary: 'Leave an account: access ends at once and my shares there are deleted', params: idParams, response: { 200: answer, ...problems } },
    handler: async (request) => ({ collaboration: await leaveCollaboration(ctx, requestMeta(request), callerOf(request), request.params.id) }),
  });
}
