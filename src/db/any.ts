import { type Column, sql, type SQL } from 'drizzle-orm';

/**
 * `column = any($1)` with the values as one text-array parameter: the same rows as `inArray`, but one parameter
 * instead of one per value, so long lists cost neither statement text nor parameter binding (and never reach the
 * protocol's 65,535-parameter limit). For text columns (ids).
 */
export function anyOf(column: Column | SQL, values: readonly string[]): SQL {
  return sql`${column} = any(${sql.param([...values])}::text[])`;
}
