/**
 * The median as the model's published numbers define it: the middle value, or the mean of the
 * two middle values, (a + b) / 2. simple-statistics' `median` interpolates instead, a + ½(b − a),
 * which differs in the last bit and would move committed outputs; quantiles other than the
 * median use simple-statistics' `quantileSorted` (the same type-7 interpolation as ours).
 * NaN for an empty list.
 * @example medianOf([4, 1, 3, 2]) // 2.5
 */
export function medianOf(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}
