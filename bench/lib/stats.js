// Small numeric helpers: medians of rounds, ratios, and figures printed the same way everywhere.

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Runs fn `rounds` times (awaiting each) and returns every result. */
export async function rounds(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}

export function ratio(a, b) {
  return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : NaN;
}

/** A figure with a unit and sensible precision; '-' when it could not be measured. */
export function fmt(value, unit = '') {
  if (value === undefined || value === null || !Number.isFinite(value)) return '-';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return `${value.toFixed(digits)}${unit ? ' ' + unit : ''}`;
}

export function fmtRatio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '-';
}
