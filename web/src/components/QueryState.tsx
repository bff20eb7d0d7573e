import { Anchor } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/client';
import { EmptyHint, LoadError, Loading } from './Feedback';
import { Page } from './Page';

interface QueryLike {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
}

/**
 * What a query shows while it loads (a labelled spinner) or after it failed (the reason and a retry, or `notFound`
 * for a 404); null once it has data.
 */
export function queryFallback(query: QueryLike, loadingLabel?: string, notFound?: ReactNode): ReactNode {
  if (query.isPending) return <Loading label={loadingLabel} />;
  if (query.isError) return notFound && isApiError(query.error, 404) ? notFound : <LoadError error={query.error} retry={() => void query.refetch()} />;
  return null;
}

/** The page of an address whose resource the API does not show (gone, or not yours): what may have happened, and the way back. */
export function MissingPage({ title, hint, children, back }: { title: string; hint: string; children: ReactNode; back: { to: string; label: string } }) {
  return (
    <Page title={title}>
      <EmptyHint title={hint}>
        {children}{' '}
        <Anchor component={Link} to={back.to}>
          {back.label}
        </Anchor>
      </EmptyHint>
    </Page>
  );
}
