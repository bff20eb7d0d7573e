import { InvalidArgumentError, Option } from 'commander';

/** A commander parser for a whole number above zero (`--lines 20`). */
export function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError('a whole number above zero');
  return value;
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0.1 || value > 60) throw new InvalidArgumentError('from 0.1 to 60 seconds');
  return Math.round(value * 1000);
}

/** `--interval <seconds>`: how often `--follow` asks the server for more, parsed to milliseconds. */
export function intervalOption(): Option {
  return new Option('--interval <seconds>', 'with --follow: seconds between two polls').argParser(seconds).default(1000, '1');
}

/** `--owner <owner>`: act in another owner's account (an id, or the email of an owner you collaborate with). */
export function ownerOption(): Option {
  return new Option('--owner <owner>', "act in this owner's account (id, or the email of an owner you collaborate with), as a manager");
}

/** A commander parser for a repeatable option (`--role developer --role viewer`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** An ISO-8601 instant (`2026-12-31T00:00:00Z`) or a date (`2026-12-31`, midnight UTC), in the API's form. */
export function instant(text: string): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError('a date (2026-12-31) or an ISO-8601 time');
  return date.toISOString();
}
