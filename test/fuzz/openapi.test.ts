import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../src/http/errors.js';
import { createAdmin, createPaidOwner, PASSWORD } from '../factories.js';
import { inviteAndAccept, invite, share } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { mutated, type Schema, urlValue, valueFor } from './values.js';

// Every operation of our own OpenAPI document, called with mutated inputs, signed in as different callers and not
// at all: no answer may be a 5xx, and every 4xx is a problem with a stable code. Routes added later are fuzzed
// without touching this file. FUZZ_RUNS (requests per operation) and FUZZ_SEED make longer or other runs:
//   FUZZ_RUNS=500 FUZZ_SEED=7 npx vitest run --project pglite test/fuzz/openapi.test.ts
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 100_000);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  parameters: Parameter[];
  body: Schema | undefined;
}
interface FuzzRequest {
  caller: string;
  url: string;
  payload: string | undefined;
  contentType: string | undefined;
}

let t: TestApp;
let operations: Operation[];
let ids: string[];
const callers: Record<string, string | undefined> = { anonymous: undefined, bogus: 'spt_not-a-real-token-at-all-000000000000' };

/** An API token for an account: unlike sessions, a fuzzed sign-out does not end it. */
async function apiToken(session: string): Promise<string> {
  const created = await t.http.as(session).post('/api/v1/tokens', { name: 'fuzz' });
  expect(created.status).toBe(201);
  return created.body.token;
}

beforeAll(async () => {
  t = await startTestApp();
  const owner = await createPaidOwner(t, 'fuzz-owner');
  const environment = await createEnvironment(t, owner);
  const group = await t.http.as(owner).post('/api/v1/groups', { name: 'fuzz group' });
  const member = await inviteAndAccept(t, owner);
  const shareId = await share(t, owner, member.memberId, { type: 'environment', id: environment.id }, ['viewer']);
  const pending = await invite(t, owner);
  const admin = await createAdmin(t);
  const notifications = await t.http.as(member).get('/api/v1/notifications');
  callers.owner = await apiToken(owner.token);
  callers.member = await apiToken(member.token);
  callers.admin = await apiToken(admin.token);
  ids = [
    owner.id,
    member.id,
    admin.id,
    environment.id,
    group.body.id,
    member.memberId,
    pending.memberId,
    pending.token,
    shareId,
    notifications.body.items[0]?.id ?? 'none',
    'viewer',
    'developer',
    '1',
    owner.email,
    PASSWORD,
  ];
  const doc = (await t.http.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> };
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      method,
      path,
      parameters: item[method]?.parameters ?? [],
      body: item[method]?.requestBody?.content?.['application/json']?.schema,
    })),
  );
}, 120_000);
afterAll(async () => {
  await t?.close();
});

function requestsFor(operation: Operation): fc.Arbitrary<FuzzRequest> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryParams = operation.parameters.filter((p) => p.in === 'query');
  const pathValues = fc.tuple(...pathParams.map(() => urlValue(ids)));
  const queryValues = fc.tuple(
    ...queryParams.map((p) =>
      fc.option(
        fc.oneof(
          valueFor(p.schema ?? {}, ids).map((value) => encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value))),
          urlValue(ids),
        ),
        { nil: undefined },
      ),
    ),
  );
  const extraQuery = fc.option(fc.tuple(fc.constantFrom('unknown', 'limit', 'cursor', 'x%00', '%E0%A4%A'), urlValue(ids)), { nil: undefined });
  const body = operation.body
    ? fc.oneof(
        { weight: 6, arbitrary: mutated(valueFor(operation.body, ids)).map((value) => ({ payload: JSON.stringify(value), contentType: 'application/json' })) },
        { weight: 1, arbitrary: fc.constantFrom('{"a":', '', 'null', '[', '{"__proto__": {"x": 1}}', '\u0000').map((payload) => ({ payload, contentType: 'application/json' })) },
        { weight: 1, arbitrary: fc.constant({ payload: 'a=b', contentType: 'application/x-www-form-urlencoded' }) },
      )
    : fc.constant({ payload: undefined, contentType: undefined });
  return fc
    .record({ caller: fc.constantFrom(...Object.keys(callers)), path: pathValues, query: queryValues, extra: extraQuery, body })
    .map(({ caller, path, query, extra, body: sent }) => {
      let url = operation.path;
      pathParams.forEach((param, index) => {
        url = url.replace(`{${param.name}}`, path[index] || 'x');
      });
      const pairs = queryParams.flatMap((param, index) => (query[index] === undefined ? [] : [`${param.name}=${query[index]}`]));
      if (extra) pairs.push(`${extra[0]}=${extra[1]}`);
      return { caller, url: pairs.length > 0 ? `${url}?${pairs.join('&')}` : url, ...sent };
    });
}

describe(`fuzzing every operation of the OpenAPI document (${RUNS} requests each, seed ${SEED})`, () => {
  it('answers no 5xx, and every 4xx is problem+json with a stable code', async () => {
    expect(operations.length).toBeGreaterThan(50);
    const known = new Set<string>(errorCodes);
    const failures: string[] = [];
    let sent = 0;
    for (const [index, operation] of operations.entries()) {
      const samples = fc.sample(requestsFor(operation), { numRuns: RUNS, seed: SEED + index });
      for (const request of samples) {
        const token = callers[request.caller];
        const response = await t.app.inject({
          method: operation.method.toUpperCase() as 'GET',
          url: request.url,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(request.contentType ? { 'content-type': request.contentType } : {}),
          },
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        });
        sent++;
        const status = response.statusCode;
        const type = String(response.headers['content-type'] ?? '');
        let wrong: string | undefined;
        if (status >= 500) wrong = `answered ${status}`;
        else if (status >= 400) {
          const body = type.includes('problem+json') ? (JSON.parse(response.body) as { code?: string }) : undefined;
          if (!body) wrong = `answered ${status} as ${type}, not problem+json`;
          else if (!body.code || !known.has(body.code)) wrong = `answered ${status} with code ${String(body.code)}`;
        }
        if (wrong) {
          failures.push(
            `${operation.method.toUpperCase()} ${request.url.slice(0, 200)} as ${request.caller} ${wrong}; ` +
              `body ${String(request.payload).slice(0, 200)}; answer ${response.body.slice(0, 300)}`,
          );
        }
      }
    }
    console.info(`fuzz: ${sent} requests over ${operations.length} operations, seed ${SEED}, ${failures.length} wrong answers`);
    expect(failures.slice(0, 20), `seed ${SEED}: ${failures.length} wrong answers`).toEqual([]);
  }, 600_000);
});
