/** Small helpers the Arabic word lists share. */

/** A set of words from a space-separated list: `words('زين كويس منيح')`. */
export const words = (list: string): ReadonlySet<string> => new Set(list.trim().split(/\s+/));

/**
 * A word without a leading و/ف ("and", "so") when it is long enough to have one: "وكويس" →
 * "كويس", while "وقف" and "فيه" keep theirs.
 */
export const bare = (token: string): string => (token.length > 3 ? token.replace(/^[وف]/, '') : token);
