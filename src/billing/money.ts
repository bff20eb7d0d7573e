/** A non-negative configured amount as a plain decimal string for SQL numerics, never in exponent notation. */
export function decimalText(value: number): string {
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // 1e-7 and the like: twelve places keep every price a person would configure, then drop the trailing zeros.
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}
