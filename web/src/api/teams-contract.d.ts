// The teams routes as the contract names them, until `npm run openapi` generates them into schema.d.ts: then this file goes.
import type { paths as generated } from './schema';

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type MemberShare = generated['/api/v1/collaboration/members/{id}/shares']['get']['responses'][200]['content']['application/json']['items'][number];
type TeamShare = Omit<MemberShare, 'memberId'> & { memberId: string | null; teamId: string };
type ShareCreate = NonNullable<generated['/api/v1/collaboration/members/{id}/shares']['post']['requestBody']>['content']['application/json'];
type ShareUpdate = NonNullable<generated['/api/v1/collaboration/members/{id}/shares/{shareId}']['patch']['requestBody']>['content']['application/json'];
type Preview = generated['/api/v1/environments/{id}']['delete']['responses'][200]['content']['application/json'];
type TeamAnswer = {
  id: string;
  name: string;
  externalId: string | null;
  members: { memberId: string; email: string; displayName: string | null; status: string; user: { id: string; name: string; email: string } | null }[];
  createdAt: string;
  updatedAt: string;
};
type Params<P = never, Q = never> = { query?: Q; header?: never; path: P; cookie?: never };
type Op<P, Q, B, R> = { parameters: Params<P, Q>; requestBody: { content: { 'application/json': B } }; responses: R };
type NoBodyOp<P, Q, R> = { parameters: Params<P, Q>; requestBody?: never; responses: R };
type Dry = { dryRun?: 'true' | 'false' };

declare module './schema' {
  interface paths {
    '/api/v1/collaboration/teams': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: { parameters: { query?: { limit?: number; cursor?: string }; header?: never; path?: never; cookie?: never }; requestBody?: never; responses: { 200: Json<{ items: TeamAnswer[]; nextCursor: string | null }> } };
      post: { parameters: { query?: never; header?: never; path?: never; cookie?: never }; requestBody: { content: { 'application/json': { name: string; externalId?: string | null } } }; responses: { 201: Json<TeamAnswer> } };
    };
    '/api/v1/collaboration/teams/{id}': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: NoBodyOp<{ id: string }, never, { 200: Json<TeamAnswer> }>;
      patch: Op<{ id: string }, never, { name?: string; externalId?: string | null }, { 200: Json<TeamAnswer> }>;
      delete: NoBodyOp<{ id: string }, never, { 204: NoContent }>;
    };
    '/api/v1/collaboration/teams/{id}/members/{memberId}': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      put: NoBodyOp<{ id: string; memberId: string }, never, { 200: Json<TeamAnswer> }>;
      delete: NoBodyOp<{ id: string; memberId: string }, never, { 204: NoContent }>;
    };
    '/api/v1/collaboration/teams/{id}/shares': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      get: NoBodyOp<{ id: string }, { limit?: number; cursor?: string }, { 200: Json<{ items: TeamShare[]; nextCursor: string | null }> }>;
      post: Op<{ id: string }, never, ShareCreate, { 201: Json<TeamShare> }>;
    };
    '/api/v1/collaboration/teams/{id}/shares/{shareId}': {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      patch: Op<{ id: string; shareId: string }, Dry, ShareUpdate, { 200: Json<TeamShare | Preview> }>;
      delete: NoBodyOp<{ id: string; shareId: string }, Dry, { 200: Json<Preview>; 204: NoContent }>;
    };
  }
}
