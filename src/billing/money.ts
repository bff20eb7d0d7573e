/** A non-negative configured amount as a plain decimal string for SQL numerics, never in exponent notation. */
export function decimalText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 and the like: twelve places keep every price a person would configure, then drop the trailing zeros.
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/** An amount of money as people type it: digits with up to six decimal places, never a float. */
export const MONEY_PATTERN = /^\d{1,12}(\.\d{1,6})?$/;

/** A stored numeric(18, 6) ("0.800000") as people read it: at least two decimal places, no trailing zeros past them. */
export function readableMoney(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  const kept = fraction.replace(/0+$/, '');
  return `${whole}.${kept.padEnd(2, '0')}`;
}
