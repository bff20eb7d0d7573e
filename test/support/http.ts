import type { App } from '../../src/http/types.js';

export interface Answer<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestOptions {
  token?: string | undefined;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
}

/** A small HTTP client over app.inject: every API test goes through the real routes, hooks and schemas. */
export class HttpClient {
  constructor(
    private readonly app: App,
    private readonly token?: string,
  ) {}

  /** The same client, authenticated with a bearer token. */
  as(token: string | { token: string }): HttpClient {
    return new HttpClient(this.app, typeof token === 'string' ? token : token.token);
  }

  async request<T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer<T>> {
    const token = options.token ?? this.token;
    const headers: Record<string, string> = { ...options.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) query[key] = String(value);
    const response = await this.app.inject({
      method: method as 'GET',
      url: path,
      headers,
      query,
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const type = String(response.headers['content-type'] ?? '');
    // ndjson is lines of JSON, not one document: left as text.
    const parsed = type.includes('json') && !type.includes('ndjson') && response.body ? JSON.parse(response.body) : response.body;
    return { status: response.statusCode, body: parsed as T, headers: response.headers };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, undefined, options);
  }
  post<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, body ?? {}, options);
  }
  put<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, body ?? {}, options);
  }
  patch<T = any>(path: string, body?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, body ?? {}, options);
  }
  delete<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, undefined, options);
  }
}
