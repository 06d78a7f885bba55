/**
 * How numbers read in tables, leads and chart labels.
 */

/** A number to 3 significant digits: thousands grouped (en-US, whatever the machine's locale), an exponent only below 0.001. */
export function formatSignificant(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(digits - 1);
  const rounded = Number(value.toPrecision(digits));
  return Math.abs(rounded) >= 1000 ? Math.round(rounded).toLocaleString('en-US') : String(rounded);
}

/** A fraction as a percentage to 3 significant digits. */
export function formatPercent(value: number): string {
  return `${formatSignificant(value * 100)}%`;
}
