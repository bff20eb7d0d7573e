import type { FastifyRequest } from 'fastify';

/** What services record about the request behind a change. */
export interface RequestMeta {
  requestId: string;
  ip: string;
  userAgent: string | undefined;
}

export function requestMeta(request: FastifyRequest): RequestMeta {
  return { requestId: request.id, ip: request.ip, userAgent: request.headers['user-agent'] };
}
