import type { CallerKind, Level, SystemRoleId } from './actors.js';

/** What one caller must get from one route. */
export type Expected =
  | { kind: 'ok'; status: number }
  /** A list answered 200 that must not contain the target. */
  | { kind: 'hidden' }
  | { kind: 'refused'; status: 401 | 403 | 404; code: string; permission?: string };

export const unauthenticated: Expected = { kind: 'refused', status: 401, code: 'unauthenticated' };
export const hiddenAs404: Expected = { kind: 'refused', status: 404, code: 'not_found' };
export const trialExpired: Expected = { kind: 'refused', status: 403, code: 'trial_expired' };
export const missing = (permission: string): Expected => ({ kind: 'refused', status: 403, code: 'missing_permission', permission });
export const ownerOnly: Expected = { kind: 'refused', status: 403, code: 'forbidden' };
export const twoFactorRequired: Expected = { kind: 'refused', status: 403, code: 'two_factor_required' };

const viewer = ['env.view', 'env.logs'];
const operator = [...viewer, 'env.start', 'env.stop', 'env.restart'];
const developer = [...operator, 'env.rename', 'env.topology', 'env.deploy', 'env.config', 'env.exec', 'env.clone', 'env.groups', 'env.create'];
const admin = [...developer, 'env.delete', 'billing.view', 'collaboration.manage'];

/** The system roles as DESIGN.md section 5 writes them: the test's own oracle, not the product's catalog. */
const rolePermissions: Record<SystemRoleId, readonly string[]> = { viewer, operator, developer, admin };

/** What a system role grants on a share at `level`: collaboration.manage counts on an account share only (section 6). */
export function grants(role: SystemRoleId, level: Level, permission: string): boolean {
  if (permission === 'collaboration.manage' && level !== 'account') return false;
  return rolePermissions[role].includes(permission);
}

export interface Judged {
  level: Level;
  /** What a member needs at `level`; null when any member who reaches the target may do it. */
  permission: string | null;
  /** The status of a success. */
  ok: number;
  /** Set on a list route: a member who reaches nothing of the target gets a 200 without it. */
  listed?: unknown;
  /** Answers that differ from the general rule, each explained where the route is declared. */
  expect?: Partial<Record<CallerKind, Expected>>;
}

/**
 * The general rule (DESIGN.md sections 2 and 6, API.md): anonymous 401; an ended trial 403 `trial_expired`;
 * strangers and members who left, were removed or are suspended 404 (never reveal the resource); a member who does
 * not reach the target 404 (on a list: the target absent); a member who reaches it without the permission 403
 * `missing_permission` naming it; the owner and a member holding the permission succeed.
 */
export function expectedFor(route: Judged, kind: CallerKind): Expected {
  const special = route.expect?.[kind];
  if (special) return special;
  // A scoped token gets the intersection of its scope and its holder's access: these two equal a plain caller's.
  if (kind === 'scopedViewer') return expectedFor(route, 'viewer');
  if (kind === 'outsideScope') return expectedFor(route, 'noShare');
  const ok: Expected = { kind: 'ok', status: route.ok };
  switch (kind) {
    case 'anonymous':
      return unauthenticated;
    case 'expiredTrial':
      return trialExpired;
    // An active member without the second factor the owner requires: refused everything in the account, saying why.
    case 'noSecondFactor':
      return twoFactorRequired;
    case 'stranger':
    case 'left':
    case 'removed':
    case 'suspended':
      return hiddenAs404;
    case 'noShare':
      return route.listed !== undefined ? { kind: 'hidden' } : hiddenAs404;
    case 'owner':
      return ok;
    default:
      return route.permission === null || grants(kind, route.level, route.permission) ? ok : missing(route.permission);
  }
}

/** How a case names its expectation: "403 env.stop", "404", "200 (target absent)". */
export function describeExpected(expected: Expected): string {
  if (expected.kind === 'ok') return String(expected.status);
  if (expected.kind === 'hidden') return '200 without the target';
  if (expected.permission) return `${expected.status} ${expected.permission}`;
  return expected.code === 'not_found' || expected.code === 'unauthenticated' ? String(expected.status) : `${expected.status} ${expected.code}`;
}
