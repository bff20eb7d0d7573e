import type { AppContext } from '../context.js';
import type { App } from '../http/types.js';
import { accessRoutes } from './explain/routes.js';
import { accessRequestRoutes } from './requests/routes.js';
import { reviewRoutes } from './review/routes.js';
import { invitationRoutes } from './invitations/routes.js';
import { myCollaborationRoutes } from './members/mine-routes.js';
import { memberRoutes } from './members/routes.js';
import { tokenPolicyRoutes } from './tokens/routes.js';
import { roleRoutes } from './roles/routes.js';
import { shareRoutes } from './shares/routes.js';
import { teamRoutes } from './teams/routes.js';

/** Every collaboration route: members, invitations, roles, shares, teams and the access explanations. */
export function collaborationRoutes(app: App, ctx: AppContext): void {
  memberRoutes(app, ctx);
  myCollaborationRoutes(app, ctx);
  invitationRoutes(app, ctx);
  roleRoutes(app, ctx);
  shareRoutes(app, ctx);
  teamRoutes(app, ctx);
  accessRoutes(app, ctx);
  tokenPolicyRoutes(app, ctx);
  accessRequestRoutes(app, ctx);
  reviewRoutes(app, ctx);
}
