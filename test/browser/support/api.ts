import type { Stack } from './stack.js';

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** A call to the stack's API as one person. */
export type ApiAs = (path: string, method: string, data?: unknown) => Promise<ApiAnswer>;

/**
 * Signs a person in through the API and answers a caller of the API as it, for the parts of a browser test that set
 * the scene (what the dashboard does there has its own browser test).
 */
export async function signedInApi(stack: Stack, person: { email: string; password: string }): Promise<ApiAs> {
  const answer = await fetch(`${stack.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: person.email, password: person.password }),
  });
  if (answer.status !== 200) throw new Error(`sign-in of ${person.email} answered ${answer.status}`);
  const { token } = (await answer.json()) as { token: string };
  return async (path, method, data) => {
    const reply = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json' } : {}) },
      ...(data ? { body: JSON.stringify(data) } : {}),
    });
    const text = await reply.text();
    return { status: reply.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
}
