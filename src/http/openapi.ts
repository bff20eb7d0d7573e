import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { App } from './types.js';

/** Registers the OpenAPI document (generated from the route schemas) and its browsable reference at /api/docs. */
export async function registerOpenApi(app: App, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Shareplane API',
        version: '1.0.0',
        description:
          'The control plane of a PaaS built around account collaboration. Errors are application/problem+json with a stable `code`.',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A session token from sign-in, or an API token' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'sp_session' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: jsonSchemaTransform,
  });
  const https = publicUrl.startsWith('https://');
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    staticCSP: true,
    // Like the dashboard's, the reference's policy asks for https only when Shareplane is served over https.
    transformStaticCSP: (header) => (https ? header : header.replace(/;?\s*upgrade-insecure-requests/, '')),
  });
}
