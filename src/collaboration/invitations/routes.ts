import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { newPasswordSchema } from '../../accounts/passwords.js';
import { presentUser } from '../../accounts/present.js';
import { setSessionCookies } from '../../accounts/routes.js';
import { personNameSchema, userSchema } from '../../accounts/schemas.js';
import type { AppContext } from '../../context.js';
import { callerOf } from '../../http/auth.js';
import { enforce } from '../../http/rate-limit.js';
import { requestMeta } from '../../http/request-meta.js';
import type { App } from '../../http/types.js';
import { problems } from '../http.js';
import { ownerOf, presentCollaboration } from '../members/mine.js';
import { collaborationSchema } from '../schemas.js';
import { acceptInvitation } from './accept.js';
import { previewInvitation } from './preview.js';
import { rejectInvitation } from './reject.js';
import { signUpWithInvitation } from './signup.js';

const tags = ['Collaboration — invitee side'];
const tokenParams = z.strictObject({ token: z.string().min(1).max(200) });

/** What anyone holding a link may do, counted per IP so tokens cannot be guessed at speed. */
export function invitationRoutes(app: App, ctx: AppContext): void {
  const limitIp = (request: FastifyRequest) => enforce(ctx.db, ctx.clock, `invitation:ip:${request.ip}`, ctx.rateLimits.invitationTokenPerIp);

  app.get('/api/v1/invitations/:token', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'What an invitation link is about; reading it changes nothing',
      params: tokenParams,
      response: {
        200: z.object({ email: z.string(), owner: z.object({ name: z.string() }), expiresAt: z.string(), accountExists: z.boolean() }),
        ...problems,
      },
    },
    handler: async (request) => {
      await limitIp(request);
      return previewInvitation(ctx, request.params.token);
    },
  });

  app.post('/api/v1/invitations/:token/accept', {
    config: { access: 'activeAccount' },
    schema: {
      tags,
      summary: 'Accept as the signed-in account whose verified email is the invited one',
      params: tokenParams,
      response: { 200: z.object({ collaboration: collaborationSchema }), ...problems },
    },
    handler: async (request) => {
      await limitIp(request);
      return { collaboration: await acceptInvitation(ctx, requestMeta(request), callerOf(request), request.params.token) };
    },
  });

  app.post('/api/v1/invitations/:token/signup', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Create a collaborator account for the invited email, accept, and sign in',
      params: tokenParams,
      body: z.strictObject({ name: personNameSchema, password: newPasswordSchema }),
      response: { 201: z.object({ user: userSchema, token: z.string(), expiresAt: z.string(), collaboration: collaborationSchema }), ...problems },
    },
    handler: async (request, reply) => {
      await limitIp(request);
      const { user, collaboration, session } = await signUpWithInvitation(ctx, requestMeta(request), request.params.token, request.body);
      setSessionCookies(ctx, reply, session.token, session.expiresAt);
      return reply.status(201).send({
        user: presentUser(user, ctx.clock.now()),
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        collaboration: presentCollaboration(collaboration, await ownerOf(ctx.db, collaboration)),
      });
    },
  });

  app.post('/api/v1/invitations/:token/reject', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Decline an invitation; the link suffices',
      params: tokenParams,
      response: { 200: z.object({ status: z.literal('rejected') }), ...problems },
    },
    handler: async (request) => {
      await limitIp(request);
      return rejectInvitation(ctx, requestMeta(request), request.caller, request.params.token);
    },
  });
}
