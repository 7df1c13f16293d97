/**
 * Edit distance (insertions, deletions, substitutions; each costs 1) between two strings,
 * compared code point by code point. Two rows of the table at a time: O(|a| * |b|) time,
 * O(|b|) memory.
 */
export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  let cur = new Array<number>(t.length + 1).fill(0);
  for (let i = 1; i <= s.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[t.length] ?? 0;
}

/**
 * The candidate closest to `word`, if it is close enough to be what the user meant: at most
 * max(2, floor(length of word / 3)) edits away, ignoring case. Among those, a case difference
 * counts as half an edit, so `degc` finds `degC` before `deg`. Ties go to the earlier candidate,
 * so callers list the most common spelling first.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor([...word].length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    if (c === word) return c;
    const folded = levenshtein(word.toLowerCase(), c.toLowerCase());
    const score = folded + (levenshtein(word, c) - folded) / 2;
    if (folded <= limit && score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** True when `word` is `candidate` with letters left out, starting with the same letter. */
function abbreviates(word: string, candidate: string): boolean {
  const w = word.toLowerCase();
  const c = candidate.toLowerCase();
  if (w.length < 3 || w[0] !== c[0]) return false;
  let i = 0;
  for (const ch of c) if (ch === w[i]) i++;
  return i === w.length;
}

/**
 * `; did you mean "x"?` when there is a close candidate, else the empty string. Beyond
 * {@link suggest}, an abbreviation (`moving_avg`, `ema`) finds the one candidate it abbreviates.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  const abbreviated = list.filter((c) => abbreviates(word, c));
  const hit = suggest(word, list) ?? (abbreviated.length === 1 ? abbreviated[0] : undefined);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}
