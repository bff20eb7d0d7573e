import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import type { AccessPreview } from './types';

/** One `errors[]` item of a validation problem: the request field and what is wrong with it. */
export interface FieldProblem {
  path: string;
  message: string;
}

/** The application/problem+json body every API error carries (API.md, Conventions). */
export interface Problem {
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
  permission?: string;
  requestId?: string;
  [extra: string]: unknown;
}

/** The answer of a change asked with `?dryRun=true`: what it would do to access, nothing changed. */
export type { AccessPreview };

/** Whether an answer is a dry run's preview rather than the changed resource. */
export function isPreview(answer: unknown): answer is AccessPreview {
  return typeof answer === 'object' && answer !== null && (answer as { dryRun?: unknown }).dryRun === true;
}

/** The resource a change answers when it was really made (asked without dryRun, it never answers a preview). */
export function applied<T>(answer: T | AccessPreview): T {
  if (isPreview(answer)) {
    throw new Error('the server answered a preview to a change');
  }
  return answer as T;
}

/** A failed API call, with the problem the server answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.problem.code;
  }
}

function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

// Browsers send a same-origin Origin header on these requests already; the CSRF cookie echo covers the rest.
const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = readCookie('sp_csrf');
      if (token) request.headers.set('x-csrf-token', token);
    }
    return request;
  },
};

/** The API client, typed from the server's own OpenAPI document: an API change breaks the dashboard's build. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).code === 'string';
}

/** The problem of a failed answer, or one made up from the status when the body is not problem+json. */
export function problemOf(response: Response, error: unknown): Problem {
  if (isProblem(error)) return error;
  return {
    title: response.statusText || 'Request failed',
    status: response.status,
    code: response.status >= 500 ? 'internal_error' : 'unexpected',
    detail: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}. Try again in a moment.`,
  };
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError with the server's problem. */
export async function ok<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<D> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, problemOf(response, error));
  return data as D;
}

/** A message for any error a call can throw: the problem's detail, or a network failure explained. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail || error.problem.title;
  if (error instanceof TypeError) return 'The server cannot be reached. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** Whether an error is an API answer with this status (and code, when given). */
export function isApiError(error: unknown, status: number, code?: string): error is ApiError {
  return error instanceof ApiError && error.status === status && (code === undefined || error.code === code);
}
