// The API's types as the dashboard names them, generated from the server's OpenAPI document (`npm run openapi`).
export type { ApiToken, AuditEvent, Environment, Explanation, Group, LogLine, Member, Permission, Role, Share } from '../../web/src/api/types.js';
