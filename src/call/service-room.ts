/** The service's free capacity as the shared database counts it (calls in progress against every live instance's limit). */
export interface ServiceLoadSource {
  load(): Promise<{ instances: number; capacity: number; active: number }>;
}

/** How long a granted line is held against the service's count: a stream starts within a second or two of its webhook. */
const GRANT_HELD_MS = 5000;

/**
 * Whether the service as a whole (every live instance over one database) has room for another
 * call: asked only when this instance is full or draining, so a full instance turns a caller away
 * only when every instance is. Bounded: a store that does not answer within `timeoutMs`, or
 * fails, counts as no room (the caller hears "all lines are busy", never a stuck webhook).
 */
/** Asks for room; `reserve: false` for a stream that starts at once (the database counts it from its first save). */
export type ServiceRoom = (options?: { reserve?: boolean }) => Promise<boolean>;

export function serviceRoom(source: ServiceLoadSource, options: { timeoutMs?: number; onError?: (error: unknown) => void; now?: () => number } = {}): ServiceRoom {
  const timeoutMs = options.timeoutMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  // Room this instance granted in the last few seconds: those callers' streams may not have
  // started yet (so the database does not count them), and must not be offered the same line.
  const granted: number[] = [];
  return async ({ reserve = true } = {}) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const load = await Promise.race([
        source.load(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the service's load did not come within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      const at = now();
      while (granted.length > 0 && (granted[0] as number) < at - GRANT_HELD_MS) granted.shift();
      if (load.active + granted.length >= load.capacity) return false;
      if (reserve) granted.push(at);
      return true;
    } catch (error) {
      options.onError?.(error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}
