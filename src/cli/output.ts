/** A column of a human table: its header and how a row shows in it. */
export interface Column<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
}

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value).replace(/\s+/g, ' ');
}

/** Left-aligned columns two spaces apart under upper-case headers, as `kubectl get` prints them. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const grid = [columns.map((column) => column.header.toUpperCase()), ...rows.map((row) => columns.map((column) => cell(column.value(row))))];
  const widths = columns.map((_, index) => Math.max(...grid.map((line) => (line[index] ?? '').length)));
  return grid
    .map((line) =>
      line
        .map((text, index) => (index === line.length - 1 ? text : text.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Writes one line (or block) to stdout. */
export function print(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a value as JSON on one line, for `--json` (one document, or one line per item when following). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Prints rows as a table, or as a JSON array with `--json`; an empty list says so in words. */
export function printRows<T>(json: boolean, rows: readonly T[], columns: readonly Column<T>[], empty: string): void {
  if (json) return printJson(rows);
  print(rows.length === 0 ? empty : formatTable(rows, columns));
}

/** Prints a value as JSON with `--json`, else its human text. */
export function printResult(json: boolean, value: unknown, human: string): void {
  if (json) printJson(value);
  else print(human);
}

/** A date as `2026-01-02 10:11` (UTC), compact enough for a table. */
export function shortTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
