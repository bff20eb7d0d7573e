import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf, CSRF_COOKIE, SESSION_COOKIE } from '../http/auth.js';
import { problemSchema } from '../http/errors.js';
import { requestMeta } from '../http/request-meta.js';
import { type App, idParams, noContent } from '../http/types.js';
import { endOneSession, endOtherSessionsOf, listSessions } from './session-list.js';

const tags = ['Accounts'];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 429: problemSchema };
// Sessions are credentials: listed and ended signed in with a session, never through an API token.
const config = { access: 'signedIn', credentials: 'signIn' } as const;

const sessionSchema = z.object({
  id: z.string(),
  device: z.string().describe('Browser and system read from the user agent, e.g. "Firefox on Linux"'),
  userAgent: z.string().nullable(),
  ip: z.string().nullable().describe('The address the session was started from'),
  createdAt: z.string(),
  lastSeenAt: z.string().describe('Recorded at most once a minute'),
  expiresAt: z.string(),
  current: z.boolean().describe('The session of this request'),
});

/** The signed-in person's sessions: list, end one, end all others. */
export function sessionRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/me/sessions', {
    config,
    schema: { tags, summary: 'My live sessions, newest first', response: { 200: z.object({ items: z.array(sessionSchema) }), ...errors } },
    handler: async (request) => listSessions(ctx, callerOf(request)),
  });

  app.delete('/api/v1/me/sessions/:id', {
    config,
    schema: { tags, summary: 'End one of my sessions (ending this one signs out)', params: idParams, response: { 204: noContent, ...errors } },
    handler: async (request, reply) => {
      const caller = callerOf(request);
      await endOneSession(ctx, requestMeta(request), caller, request.params.id);
      if (request.params.id === caller.sessionId) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        reply.clearCookie(CSRF_COOKIE, { path: '/' });
      }
      return reply.status(204).send(null);
    },
  });

  app.delete('/api/v1/me/sessions', {
    config,
    schema: {
      tags,
      summary: 'End every session of mine but this one (?others=true)',
      querystring: z.strictObject({ others: z.literal('true').describe('Required: this session stays, every other one ends') }),
      response: { 200: z.object({ ended: z.number().int() }), ...errors },
    },
    handler: async (request) => ({ ended: await endOtherSessionsOf(ctx, requestMeta(request), callerOf(request)) }),
  });
}
