import type { createBrowserRouter } from 'react-router';

type Router = ReturnType<typeof createBrowserRouter>;

/**
 * After a client-side navigation (not the first load, which leaves focus at the top where the skip link is), moves
 * focus to the new page's heading, so keyboard and screen reader users land on it as a full page load would.
 * The heading may render a moment later, once its data arrives: wait for it briefly.
 */
export function focusHeadingOnNavigate(router: Router): () => void {
  let previous = router.state.location.pathname;
  return router.subscribe((state) => {
    const path = state.location.pathname;
    if (state.navigation.state !== 'idle' || path === previous) return;
    previous = path;
    const until = Date.now() + 2000;
    const tryFocus = () => {
      const heading = document.getElementById('page-title');
      if (heading) heading.focus();
      else if (Date.now() < until) window.setTimeout(tryFocus, 50);
    };
    window.setTimeout(tryFocus, 0);
  });
}
