import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { AuditPage } from './audit/AuditPage';
import { RedirectIfSignedIn, RequireAuth, type RouteHandle } from './auth/RequireAuth';
import { InvitationPage } from './collaboration/InvitationPage';
import { MemberPage } from './collaboration/MemberPage';
import { MembersPage } from './collaboration/MembersPage';
import { RolesPage } from './collaboration/RolesPage';
import { SharedWithMePage } from './collaboration/SharedWithMePage';
import { Loading } from './components/Feedback';
import { EnvironmentPage } from './environments/EnvironmentPage';
import { EnvironmentsPage } from './environments/EnvironmentsPage';
import { GroupsPage } from './groups/GroupsPage';
import { OptionalShell } from './layout/OptionalShell';
import { NotificationsPage } from './notifications/NotificationsPage';
import { AccountPage } from './pages/account/AccountPage';
import { AdminPage } from './pages/admin/AdminPage';
import { ForgotPasswordPage } from './pages/auth/ForgotPasswordPage';
import { ResetPasswordPage } from './pages/auth/ResetPasswordPage';
import { SignInPage } from './pages/auth/SignInPage';
import { SignUpPage } from './pages/auth/SignUpPage';
import { VerifyEmailPage } from './pages/auth/VerifyEmailPage';
import { DevMailPage } from './pages/devmail/DevMailPage';
import { NotFoundPage } from './pages/NotFoundPage';

// The billing page carries the charting library: it loads when first opened.
const BillingPage = lazy(() => import('./billing/BillingPage').then((module) => ({ default: module.BillingPage })));

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
    element: (
      <RedirectIfSignedIn to="/">
        <SignInPage />
      </RedirectIfSignedIn>
    ),
  },
  {
    path: '/sign-up',
    element: (
      <RedirectIfSignedIn to="/">
        <SignUpPage />
      </RedirectIfSignedIn>
    ),
  },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/verify-email', element: <VerifyEmailPage /> },
  { path: '/invitations/:token', element: <InvitationPage /> },
  {
    path: '/dev/mail',
    element: (
      <OptionalShell>
        <DevMailPage />
      </OptionalShell>
    ),
  },
  {
    element: <RequireAuth />,
    children: [
      { index: true, element: <Navigate to="/environments" replace /> },
      { path: 'environments', element: <EnvironmentsPage /> },
      { path: 'environments/:id', element: <EnvironmentPage /> },
      { path: 'shared-with-me', handle: allowExpired, element: <SharedWithMePage /> },
      { path: 'groups', element: <GroupsPage /> },
      { path: 'settings/collaboration', element: <MembersPage /> },
      { path: 'settings/collaboration/members/:id', element: <MemberPage /> },
      { path: 'settings/roles', element: <RolesPage /> },
      { path: 'settings/account', handle: allowExpired, element: <AccountPage /> },
      { path: 'account', element: <Navigate to="/settings/account" replace /> },
      {
        path: 'billing',
        element: (
          <Suspense fallback={<Loading />}>
            <BillingPage />
          </Suspense>
        ),
      },
      { path: 'audit', element: <AuditPage /> },
      { path: 'notifications', handle: allowExpired, element: <NotificationsPage /> },
      { path: 'admin', handle: allowExpired, element: <AdminPage /> },
    ],
  },
  { path: '*', element: <NotFoundPage /> },
]);
