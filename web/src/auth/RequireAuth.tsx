import { Navigate, Outlet, useLocation, useMatches } from 'react-router';
import { LoadError, Loading } from '../components/Feedback';
import { Shell } from '../layout/Shell';
import { TrialExpiredPage } from '../pages/TrialExpiredPage';
import { useMe } from './session';

/** What a route tells the guard in its `handle`. */
export interface RouteHandle {
  /** The page works for an account whose trial has ended (the API keeps these routes open to it). */
  allowExpired?: boolean;
}

/** Lets signed-in accounts through to the shell; sends others to sign in, and ended trials to the page that explains. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  const matches = useMatches();
  if (me.isPending) return <Loading label="Loading your account…" />;
  if (me.isError) return <LoadError error={me.error} retry={() => void me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  const allowExpired = matches.some((match) => (match.handle as RouteHandle | undefined)?.allowExpired);
  return <Shell user={me.data}>{me.data.trialExpired && !allowExpired ? <TrialExpiredPage user={me.data} /> : <Outlet />}</Shell>;
}

/** For the signed-out pages: a signed-in visitor goes on to `to` instead. */
export function RedirectIfSignedIn({ to, children }: { to: string; children: React.ReactNode }) {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.data) return <Navigate to={to} replace />;
  return children;
}
