/** The service's free capacity as the shared database counts it (calls in progress against every live instance's limit). */
export interface ServiceLoadSource {
  load(): Promise<{ instances: number; capacity: number; active: number }>;
}

/**
 * Whether the service as a whole (every live instance over one database) has room for another
 * call: asked only when this instance is full or draining, so a full instance turns a caller away
 * only when every instance is. Bounded: a store that does not answer within `timeoutMs`, or
 * fails, counts as no room (the caller hears "all lines are busy", never a stuck webhook).
 */
export function serviceRoom(source: ServiceLoadSource, options: { timeoutMs?: number; onError?: (error: unknown) => void } = {}): () => Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 1000;
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const load = await Promise.race([
        source.load(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the service's load did not come within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return load.active < load.capacity;
    } catch (error) {
      options.onError?.(error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  };
}
