import fc from 'fast-check';

/** A JSON schema as our OpenAPI document writes them (zod's output: inline, no $ref). */
export interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  format?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

/** Strings that have broken services before: NUL, lone surrogates, huge, odd Unicode, injections, odd dates. */
export const hostileStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  '\udfff\ud800',
  '🙂🙂🙂',
  'e\u0301\u200b\u202e',
  'ß'.repeat(300),
  'a'.repeat(101),
  'a'.repeat(10_000),
  "' or 1=1 --",
  '"; drop table users; --',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '%00',
  '%',
  '%E0%A4%A',
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00.000Z',
  '9999-12-31T23:59:59.999Z',
  '2024-02-30T00:00:00Z',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  'viewer',
  'account',
];

export const hostileNumbers = [-1, 0, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, 1e308, -1e308, Number.MAX_SAFE_INTEGER];

const hostileString = fc.constantFrom(...hostileStrings);
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom<unknown>(...hostileNumbers, true, false, null, [], {}, [null], { '': '' }, { __proto__: 1 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

function typeOf(schema: Schema): string | undefined {
  return Array.isArray(schema.type) ? schema.type[0] : schema.type;
}

/** A value the schema accepts (mostly), from the pool of known ids where the schema is a plain id-like string. */
export function valueFor(schema: Schema, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => valueFor(choice, ids, depth + 1)));
  if (schema.allOf && schema.allOf[0]) return valueFor(schema.allOf[0], ids, depth + 1);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const plain = plainValue(schema, ids, depth);
  return schema.nullable ? fc.oneof(plain, fc.constant(null)) : plain;
}

function plainValue(schema: Schema, ids: readonly string[], depth: number): fc.Arbitrary<unknown> {
  switch (typeOf(schema)) {
    case 'string':
      if (schema.format === 'date-time') {
        return fc.date({ min: new Date('1971-01-01'), max: new Date('2400-01-01'), noInvalidDate: true }).map((at) => at.toISOString());
      }
      if (schema.format === 'email') return fc.emailAddress();
      return fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...ids) },
        { weight: 2, arbitrary: fc.string({ minLength: Math.max(1, schema.minLength ?? 1), maxLength: Math.min(schema.maxLength ?? 30, 30) }) },
        { weight: 1, arbitrary: fc.constantFrom('correct horse battery staple', 'app', 'nginx:1.25', 'echo hello', 'https://example.test/app.tar.gz') },
      );
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -5, max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -5, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, ids, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      });
    case 'object':
    case undefined: {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, inner] of Object.entries(properties)) record[name] = valueFor(inner, ids, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((name) => name in properties) });
    }
    default:
      return anyJson;
  }
}

/** A mutation of a valid value: a field dropped, a field added, a value of the wrong type, or nothing valid at all. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 2, arbitrary: fc.tuple(valid, fc.string({ maxLength: 12 }), anyJson).map(([value, key, extra]) => withField(value, key || 'extra', extra)) },
    { weight: 3, arbitrary: fc.tuple(valid, anyJson, fc.nat()).map(([value, hostile, pick]) => replaceField(value, hostile, pick)) },
    { weight: 1, arbitrary: fc.tuple(valid, fc.nat()).map(([value, pick]) => dropField(value, pick)) },
    { weight: 1, arbitrary: anyJson },
  );
}

function fieldsOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
}

function withField(value: unknown, key: string, extra: unknown): unknown {
  return fieldsOf(value).length > 0 || (value !== null && typeof value === 'object') ? { ...(value as object), [key]: extra } : value;
}

function replaceField(value: unknown, hostile: unknown, pick: number): unknown {
  const keys = fieldsOf(value);
  if (keys.length === 0) return hostile;
  const key = keys[pick % keys.length] ?? '';
  const inner = (value as Record<string, unknown>)[key];
  // Go one level down now and then, so nested objects (resource: {type, id}) get hostile values too.
  const replacement = fieldsOf(inner).length > 0 && pick % 2 === 0 ? replaceField(inner, hostile, pick >> 1) : hostile;
  return { ...(value as object), [key]: replacement };
}

function dropField(value: unknown, pick: number): unknown {
  const keys = fieldsOf(value);
  if (keys.length === 0) return value;
  const copy = { ...(value as Record<string, unknown>) };
  delete copy[keys[pick % keys.length] ?? ''];
  return copy;
}

/** A string for a URL: known ids, hostile text (percent-encoded), or raw broken percent-encodings. */
export function urlValue(ids: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...ids).map(encodeURIComponent) },
    { weight: 3, arbitrary: hostileString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))) },
    // encodeURIComponent refuses lone surrogates; their UTF-8 bytes are written by hand.
    { weight: 1, arbitrary: fc.constantFrom('%ED%A0%80', 'a%ED%B0%80b', '%C0%80', '%FF', '%E0%A4%A', '%', '%zz', 'a%00b') },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent) },
  );
}
