import { type ComponentType, lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { RedirectIfSignedIn, RequireAuth, type RouteHandle } from './auth/RequireAuth';
import { Loading } from './components/Feedback';
import { OptionalShell } from './layout/OptionalShell';
import { NotFoundPage } from './pages/NotFoundPage';

/**
 * A page loaded when first opened: each page is its own chunk, so the first visit fetches the shell and that page
 * only (the billing page alone carries the charting library). `pick` names the module's export.
 */
function page<M>(load: () => Promise<M>, pick: (module: M) => ComponentType) {
  const Page = lazy(() => load().then((module) => ({ default: pick(module) })));
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}

// Pages an account whose trial has ended still uses (the API keeps their routes open to it).
const allowExpired: RouteHandle = { allowExpired: true };

/**
 * Every page of the dashboard. The addresses the API puts in mail and notifications are fixed: /verify-email,
 * /reset-password, /invitations/:token, /environments/:id, /shared-with-me, /billing and
 * /settings/collaboration/members/:id.
 */
export const router = createBrowserRouter([
  {
    path: '/sign-in',
    element: <RedirectIfSignedIn to="/">{page(() => import('./pages/auth/SignInPage'), (m) => m.SignInPage)}</RedirectIfSignedIn>,
  },
  {
    path: '/sign-up',
    element: <RedirectIfSignedIn to="/">{page(() => import('./pages/auth/SignUpPage'), (m) => m.SignUpPage)}</RedirectIfSignedIn>,
  },
  { path: '/forgot-password', element: page(() => import('./pages/auth/ForgotPasswordPage'), (m) => m.ForgotPasswordPage) },
  { path: '/reset-password', element: page(() => import('./pages/auth/ResetPasswordPage'), (m) => m.ResetPasswordPage) },
  { path: '/verify-email', element: page(() => import('./pages/auth/VerifyEmailPage'), (m) => m.VerifyEmailPage) },
  { path: '/invitations/:token', element: page(() => import('./collaboration/InvitationPage'), (m) => m.InvitationPage) },
  { path: '/dev/mail', element: <OptionalShell>{page(() => import('./pages/devmail/DevMailPage'), (m) => m.DevMailPage)}</OptionalShell> },
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <Navigate to="/environments" replace /> },
      { path: 'environments', element: page(() => import('./environments/EnvironmentsPage'), (m) => m.EnvironmentsPage) },
      { path: 'environments/:id', element: page(() => import('./environments/EnvironmentPage'), (m) => m.EnvironmentPage) },
      { path: 'shared-with-me', handle: allowExpired, element: page(() => import('./collaboration/SharedWithMePage'), (m) => m.SharedWithMePage) },
      { path: 'groups', element: page(() => import('./groups/GroupsPage'), (m) => m.GroupsPage) },
      { path: 'settings/collaboration', element: page(() => import('./collaboration/MembersPage'), (m) => m.MembersPage) },
      { path: 'settings/collaboration/members/:id', element: page(() => import('./collaboration/MemberPage'), (m) => m.MemberPage) },
      { path: 'settings/collaboration/teams', element: page(() => import('./collaboration/TeamsPage'), (m) => m.TeamsPage) },
      { path: 'settings/collaboration/teams/:id', element: page(() => import('./collaboration/TeamPage'), (m) => m.TeamPage) },
      { path: 'settings/roles', element: page(() => import('./collaboration/RolesPage'), (m) => m.RolesPage) },
      { path: 'settings/account', handle: allowExpired, element: page(() => import('./pages/account/AccountPage'), (m) => m.AccountPage) },
      { path: 'settings/webhooks', element: page(() => import('./webhooks/WebhooksPage'), (m) => m.WebhooksPage) },
      { path: 'account', element: <Navigate to="/settings/account" replace /> },
      { path: 'billing', element: page(() => import('./billing/BillingPage'), (m) => m.BillingPage) },
      { path: 'review', element: page(() => import('./review/ReviewPage'), (m) => m.ReviewPage) },
      { path: 'access-requests', element: page(() => import('./requests/AccessRequestsPage'), (m) => m.AccessRequestsPage) },
      { path: 'audit', element: page(() => import('./audit/AuditPage'), (m) => m.AuditPage) },
      { path: 'notifications', handle: allowExpired, element: page(() => import('./notifications/NotificationsPage'), (m) => m.NotificationsPage) },
      { path: 'admin', handle: allowExpired, element: page(() => import('./pages/admin/AdminPage'), (m) => m.AdminPage) },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
