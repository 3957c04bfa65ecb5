import editDistance from 'damerau-levenshtein';

/**
 * The candidate closest to `word`, if it is close enough to be a plausible
 * typo: at most a third of the word's length in edits (at least 1). Swapped
 * letters count as one edit (`stauts` → `status`), as people type them.
 */
const MAX_WORD = 100;

export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  // Identifiers and keys are short: a long "word" (a key swallowed by an
  // unclosed quote can be the rest of the file) has no typo to suggest, and
  // the distance costs its length times the candidate's in memory.
  if (word.length > MAX_WORD) return undefined;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === word) continue;
    // Lengths further apart than the limit cannot be within it.
    if (Math.abs(candidate.length - word.length) > limit) continue;
    const candidateDistance = candidate.toLowerCase() === lower ? 0.5 : editDistance(word, candidate).steps;
    if (candidateDistance < bestDistance) {
      best = candidate;
      bestDistance = candidateDistance;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
