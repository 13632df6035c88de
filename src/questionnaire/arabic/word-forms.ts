/**
 * Helpers for comparing normalised Arabic words: attached prefixes and edit distance.
 */

const CONJUNCTIONS = ['و', 'ف'] as const;
const PREPOSITIONS = ['ب', 'ل', 'ك'] as const;
const ARTICLE = 'ال';
const MIN_STEM_LENGTH = 2;

function withoutPrefix(word: string, prefix: string): string | null {
  return word.startsWith(prefix) && word.length - prefix.length >= MIN_STEM_LENGTH
    ? word.slice(prefix.length)
    : null;
}

/**
 * The word and every reading of it with attached prefixes removed: a conjunction (و، ف), then a
 * preposition (ب، ل، ك), then the article ال ("وبالدوا" → "بالدوا", "الدوا", "دوا"…). "لل"
 * (ل + ال) is handled too. The word itself always comes first.
 */
export function prefixVariants(word: string): string[] {
  const variants = new Set<string>([word]);
  const afterConjunction = [word];
  for (const conjunction of CONJUNCTIONS) {
    const stripped = withoutPrefix(word, conjunction);
    if (stripped !== null) afterConjunction.push(stripped);
  }
  for (const base of afterConjunction) {
    variants.add(base);
    const afterPreposition = [base];
    for (const preposition of PREPOSITIONS) {
      const stripped = withoutPrefix(base, preposition);
      if (stripped !== null) afterPreposition.push(stripped);
    }
    const lil = withoutPrefix(base, 'لل');
    if (lil !== null) variants.add(lil);
    // "عالدكتور": على + ال, run together in speech.
    const ala = withoutPrefix(base, 'عال');
    if (ala !== null) variants.add(ala);
    for (const candidate of afterPreposition) {
      variants.add(candidate);
      const bare = withoutPrefix(candidate, ARTICLE);
      if (bare !== null) variants.add(bare);
    }
  }
  return [...variants];
}

/** Levenshtein distance over code points; stops early once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  const left = Array.from(a);
  const right = Array.from(b);
  if (Math.abs(left.length - right.length) > limit) return limit + 1;
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      const deletion = (previous[j] ?? 0) + 1;
      const insertion = (current[j - 1] ?? 0) + 1;
      const cost = Math.min(substitution, deletion, insertion);
      current.push(cost);
      rowMinimum = Math.min(rowMinimum, cost);
    }
    if (rowMinimum > limit) return limit + 1;
    previous = current;
  }
  return previous[right.length] ?? 0;
}

/** Spelling tolerance for a reference word: none up to 3 letters, 1 for 4–6, 2 beyond. */
export function allowedEdits(reference: string): number {
  const length = Array.from(reference).length;
  if (length <= 3) return 0;
  return length <= 6 ? 1 : 2;
}

/** A reference word (an option's display or synonym) with and without its article. */
function referenceVariants(reference: string): string[] {
  const bare = withoutPrefix(reference, ARTICLE);
  return bare === null ? [reference] : [reference, bare];
}

/**
 * Smallest edit distance between any prefix reading of `heard` and the reference word (with or
 * without its article), or null when none is within the reference's tolerance. Only the heard
 * word loses attached prefixes: stripping both sides would let "وطن" match "بطن".
 */
export function fuzzyWordDistance(heard: string, reference: string): number | null {
  let best: number | null = null;
  for (const referenceForm of referenceVariants(reference)) {
    const limit = allowedEdits(referenceForm);
    for (const heardForm of prefixVariants(heard)) {
      const distance = editDistance(heardForm, referenceForm, limit);
      if (distance <= limit && (best === null || distance < best)) best = distance;
    }
  }
  return best;
}
