/** Small helpers the Arabic word lists share. */

/** A set of words from a space-separated list: `words('زين كويس منيح')`. */
export const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

const WAW = 'و'.charCodeAt(0);
const FA = 'ف'.charCodeAt(0);

/** The word starts with a و/ف ("and", "so") and is long enough for it to be attached: "وكويس" yes, "وقف" and "فيه" no. */
export function hasConjunction(token: string): boolean {
  const first = token.charCodeAt(0);
  return token.length > 3 && (first === WAW || first === FA);
}

/** A word without a leading و/ف when it is long enough to have one: "وكويس" → "كويس", while "وقف" and "فيه" keep theirs. */
export const bare = (token: string): string => (hasConjunction(token) ? token.slice(1) : token);
