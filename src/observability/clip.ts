/**
 * Attacker-controlled values (ids, paths, parameter names) are clipped before they reach a log
 * line: one 30 KB `context.id` must not write 120 KB of log. The clipped form says how long the
 * value really was, so an operator can tell a clipped id from a short one.
 */
export const LOG_VALUE_MAX = 64;

export function clip(value: unknown, max = LOG_VALUE_MAX): string {
  const text = typeof value === 'string' ? value : String(value);
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}
