/**
 * "Did you mean …?" for mistyped flags, commands, keys (config files, scenarios, the library's
 * options) and option values: the closest candidate by edit distance (a swap of two neighbouring
 * letters counts as one edit), compared case-insensitively, or a candidate the word is a prefix of
 * or starts with (`--targ`, `dataDirectory`).
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The candidate closest to `word`, or undefined when none is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const prefix = Math.min(w.length, lc.length) >= 3 && (w.startsWith(lc) || lc.startsWith(w));
    // The distance is at least the length difference (exactly that for a prefix): a word far
    // longer than every candidate (a megabyte sent as a type) costs no quadratic table.
    const gap = Math.abs(w.length - lc.length);
    if (gap > limit && !prefix) continue;
    const distance = prefix ? gap : editDistance(w, lc);
    if (distance > limit && !prefix) continue;
    if (distance < bestScore) {
      best = c;
      bestScore = distance;
    }
  }
  return best;
}

/** A word the user sent, quoted for a message: cut past `max` characters, with its length. */
export function quoted(word: string, max = 80): string {
  return word.length <= max ? `"${word}"` : `"${word.slice(0, max)}…" (${word.length} characters)`;
}

/** ` (did you mean <x>?)`, or '' when nothing is close. `format` dresses the candidate (`--x`). */
export function didYouMean(
  word: string,
  candidates: readonly string[],
  format: (candidate: string) => string = (c) => c,
): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean ${format(c)}?)`;
}
