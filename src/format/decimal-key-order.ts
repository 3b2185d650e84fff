// Sorting keys by their text without comparing strings: a map keyed by one non-negative
// integer prints its keys as `[123]`, and texts sort as strings (`[10]` < `[1]` < `[2]`:
// ']' sorts after every digit). For numbers below 2^53 the same order follows from the
// numbers and their digit counts, which compares far faster than 63,000 strings.

const POW10 = Array.from({ length: 17 }, (_, k) => 10 ** k);

/**
 * compare(a, b) orders indexes a and b as the strings `[${numbers[a]}]` and
 * `[${numbers[b]}]` compare (0 when they are equal). Every number must be an integer in
 * 0 .. 2^53 - 1.
 */
export function decimalTextOrder(numbers: Float64Array): (a: number, b: number) => number {
  const digits = new Uint8Array(numbers.length);
  for (let i = 0; i < numbers.length; i++) digits[i] = digitCount(numbers[i]);
  return (a, b) => {
    const va = numbers[a];
    const vb = numbers[b];
    const la = digits[a];
    const lb = digits[b];
    if (la === lb) return va < vb ? -1 : va > vb ? 1 : 0;
    // Compare the longer one's leading digits with the shorter one; when they are equal the
    // shorter text has ']' where the longer has a digit, so the shorter sorts last.
    // (floor(v / 10^k) is exact for v < 2^53: the quotient is never within half an ulp
    // below an integer.)
    if (la < lb) {
      const head = Math.floor(vb / POW10[lb - la]);
      return va < head ? -1 : va > head ? 1 : 1;
    }
    const head = Math.floor(va / POW10[la - lb]);
    return head < vb ? -1 : head > vb ? 1 : -1;
  };
}

function digitCount(n: number): number {
  let digits = 1;
  while (digits < 16 && n >= POW10[digits]) digits++;
  return digits;
}
