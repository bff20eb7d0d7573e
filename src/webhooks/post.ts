import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './target.js';

/** A delivery attempt gives up after this long: connection, request and response together. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** At most this much of a response is read; the rest is cut off. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** What the delivery log keeps of a response. */
export const EXCERPT_CHARS = 1000;

export interface PostResult {
  status: number;
  durationMs: number;
  excerpt: string;
}

/** A DNS lookup that always answers the checked address, so the connection goes where the guard looked. */
function pinned(target: ResolvedTarget): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}

function readBounded(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      const room = MAX_RESPONSE_BYTES - size;
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size += chunk.length;
      // Enough read: the rest of an endless or huge body is not this server's to download.
      if (size >= MAX_RESPONSE_BYTES) response.destroy();
    });
    response.on('error', reject);
    response.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * POSTs a signed body to a resolved target, connecting only to its pinned address, following no redirect, within
 * WEBHOOK_TIMEOUT_MS and reading at most MAX_RESPONSE_BYTES. Throws on a network failure or a timeout.
 */
export function postWebhook(target: ResolvedTarget, headers: Record<string, string>, body: string, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<PostResult> {
  const started = performance.now();
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(target.url, {
      method: 'POST',
      lookup: pinned(target),
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Shareplane-Webhooks/1' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.on('response', (response) => {
      readBounded(response).then(
        (text) => resolve({ status: response.statusCode ?? 0, durationMs: Math.round(performance.now() - started), excerpt: text.slice(0, EXCERPT_CHARS) }),
        reject,
      );
    });
    request.on('error', (error) => reject(error.name === 'AbortError' ? new Error(`no answer within ${timeoutMs} ms`) : error));
    request.end(body);
  });
}
