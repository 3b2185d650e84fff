// Fitting text into terminal cells. Keys and values are ASCII in practice (addresses,
// numbers, names); width is counted in characters.

/** `text` cut to `width` characters, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : text.slice(0, width - 1) + '…';
}

export function formatInterval(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Rows a line takes once the terminal wraps it. */
export function wrappedRows(length: number, columns: number): number {
  return Math.max(1, Math.ceil(length / Math.max(1, columns)));
}
