import { z } from 'zod';
import type { AppContext } from '../context.js';
import { callerOf } from '../http/auth.js';
import { problemSchema } from '../http/errors.js';
import { type App, idParams, pageQuery } from '../http/types.js';
import { listNotifications, markAllRead, markRead } from './inbox.js';
import { notificationTypes } from './notify.js';

const tags = ['Other'];
const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema };
const notificationSchema = z
  .object({
    id: z.string(),
    type: z.string().describe(`One of: ${notificationTypes.join(', ')}`),
    title: z.string(),
    body: z.string(),
    link: z.string().nullable(),
    createdAt: z.string(),
    readAt: z.string().nullable(),
  })
  .describe('An in-app notification');

/** The bell: the caller's notifications. Ended trials keep it, since it tells them their trial ended. */
export function notificationRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/notifications', {
    config: { access: 'signedIn' },
    schema: {
      tags,
      summary: 'My notifications, newest first, with the unread count',
      querystring: z.strictObject({ ...pageQuery, unread: z.enum(['true', 'false']).optional().describe('Only unread ones') }),
      response: { 200: z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable(), unreadCount: z.number().int() }), ...errors },
    },
    handler: async (request) => {
      const { limit, cursor, unread } = request.query;
      return listNotifications(ctx, callerOf(request), { limit, cursor, unread: unread === 'true' });
    },
  });

  app.post('/api/v1/notifications/:id/read', {
    config: { access: 'signedIn' },
    schema: { tags, summary: 'Mark a notification read', params: idParams, response: { 200: notificationSchema, ...errors } },
    handler: async (request) => markRead(ctx, callerOf(request), request.params.id),
  });

  app.post('/api/v1/notifications/read-all', {
    config: { access: 'signedIn' },
    schema: { tags, summary: 'Mark all my notifications read', response: { 200: z.object({ marked: z.number().int(), unreadCount: z.number().int() }), ...errors } },
    handler: async (request) => markAllRead(ctx, callerOf(request)),
  });
}
