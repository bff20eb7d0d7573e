import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';

interface ClientError extends Error {
  code?: string;
}

/**
 * Answers errors Node's HTTP parser meets before Fastify sees a request (headers or URL too large, a broken request
 * line, a NUL byte in a header) with the same problem+json shape as every other error, then closes the connection.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
  const detail =
    status === 431
      ? 'The request headers (the URL included) are too large.'
      : status === 414
        ? 'The URL is too long.'
        : 'The request is not valid HTTP.';
  const body = JSON.stringify({
    type: 'https://shareplane.dev/problems/validation_failed',
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail,
    code: 'validation_failed',
  });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n` +
      'Content-Type: application/problem+json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
