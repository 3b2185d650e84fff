// Horizontal bars drawn with Unicode block elements, to an eighth of a cell.
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar `width` cells long for `max`; any value above zero shows at least a sliver. */
export function bar(value: number, max: number, width: number): string {
  if (width <= 0 || max <= 0 || value <= 0) return '';
  const eighths = Math.min(width * 8, Math.round((value / max) * width * 8));
  const text = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
  return text === '' ? '▏' : text;
}
