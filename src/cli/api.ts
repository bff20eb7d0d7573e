import createClient, { type Client } from 'openapi-fetch';
import type { paths } from '../../web/src/api/schema.js';
import { CliError, exitCodeOfStatus, exitCodes, type Problem } from './errors.js';

/** The API client, typed from the server's own OpenAPI document (`npm run openapi`), as the dashboard's is. */
export type Api = Client<paths>;

type Answer<D> = Promise<{ data?: D; error?: unknown; response: Response }>;

function isProblem(value: unknown): value is Problem {
  return typeof value === 'object' && value !== null && typeof (value as Problem).code === 'string';
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** One server and the bearer token to reach it with. */
export class Session {
  readonly api: Api;

  constructor(
    readonly server: string,
    token: string | undefined,
  ) {
    this.api = createClient<paths>({
      baseUrl: server,
      headers: { 'user-agent': 'shareplane-cli', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
  }

  /** Awaits a call and returns its data, or throws a CliError carrying the server's problem and its exit code. */
  async ok<D>(call: Answer<D>): Promise<D> {
    let answer: Awaited<Answer<D>>;
    try {
      answer = await call;
    } catch (error) {
      throw new CliError(`cannot reach ${this.server} (${causeOf(error)})`, exitCodes.error);
    }
    const { data, error, response } = answer;
    if (response.ok) return data as D;
    const problem: Problem = isProblem(error) ? error : { status: response.status, title: response.statusText };
    const detail = problem.detail || problem.title || `the server answered ${response.status}`;
    throw new CliError(detail, exitCodeOfStatus(response.status), { ...problem, status: response.status });
  }
}

/** Every item of a cursor-paged list, following `nextCursor` to the end. */
export async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await page(cursor);
    items.push(...answer.items);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return items;
}
