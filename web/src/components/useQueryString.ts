import { useSearchParams } from 'react-router';

/** Sets (a value) or clears (null) keys of the query string at once; `replace` for filters typed into a field. */
export type UpdateQuery = (change: Record<string, string | null>, options?: { replace?: boolean }) => void;

/** The page's query string, where list pages keep their filters so a link or a reload shows the same list. */
export function useQueryString(): [URLSearchParams, UpdateQuery] {
  const [params, setParams] = useSearchParams();
  const update: UpdateQuery = (change, options) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(change)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: options?.replace ?? false });
  };
  return [params, update];
}
