import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { documentPath, documentText, openApiDocument, typesPath, typesText } from '../scripts/openapi.js';

// The dashboard's API client is typed from a committed copy of the OpenAPI document. When a route's schema changes,
// this test fails until `npm run openapi` (or `npm run build:web`) regenerates the copy, so the dashboard's
// typecheck sees the change instead of breaking at run time. The document does not depend on the database: one
// run is enough.
// Only in the PGlite project: the document does not depend on the database.
describe('the dashboard’s copy of the API contract', () => {
  it('web/src/api/openapi.json and schema.d.ts match the API the server builds', async () => {
    const document = await openApiDocument();
    const committedDocument = await readFile(documentPath, 'utf8').catch(() => '');
    const committedTypes = await readFile(typesPath, 'utf8').catch(() => '');
    const stale = 'is stale: run `npm run openapi` (or `npm run build:web`) and commit the result';
    expect(committedDocument === documentText(document), `web/src/api/openapi.json ${stale}`).toBe(true);
    expect(committedTypes === (await typesText(document)), `web/src/api/schema.d.ts ${stale}`).toBe(true);
  });
});
