import { isBridgeError } from '../../errors';
import { backoffDelayMs, DEFAULT_DEEPGRAM_OPTIONS, resolveDeepgramOptions } from './deepgram-options';

test('merges over the defaults, retry policy included', () => {
  const options = resolveDeepgramOptions({ apiKey: 'k', retry: { maxMs: 1000 } });
  expect(options).toMatchObject({ model: 'nova-3', language: 'ar', connectTimeoutMs: 3000, bufferMs: 10_000, endpointing: 300, utteranceEndMs: 1000 });
  expect(options.retry).toEqual({ ...DEFAULT_DEEPGRAM_OPTIONS.retry, maxMs: 1000 });
});

test.each([
  [{ apiKey: ' ' }, 'apiKey'],
  [{ apiKey: 'k', baseUrl: 'not a url' }, 'DEEPGRAM_URL'],
  [{ apiKey: 'k', baseUrl: 'ftp://x' }, 'baseUrl'],
  [{ apiKey: 'k', language: 'ar&x=1' }, 'language'],
  [{ apiKey: 'k', bufferMs: 0 }, 'bufferMs'],
  [{ apiKey: 'k', keepAliveMs: 10_000 }, 'keepAliveMs'],
  [{ apiKey: 'k', utteranceEndMs: 500 }, 'utteranceEndMs'],
  [{ apiKey: 'k', finalizeTimeoutMs: 5000 }, 'finalizeTimeoutMs'],
  [{ apiKey: 'k', retry: { factor: 0.5 } }, 'retry'],
])('rejects invalid options (%j) with CONFIG_INVALID naming %s', (input, name) => {
  let error: unknown;
  try {
    resolveDeepgramOptions(input);
  } catch (e) {
    error = e;
  }
  expect(isBridgeError(error, 'CONFIG_INVALID')).toBe(true);
  expect((error as Error).message).toContain(name);
});

test('backoff: exponential up to the ceiling; full jitter draws below it', () => {
  const policy = { initialMs: 250, factor: 2, maxMs: 4000, jitter: 'none' as const };
  expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelayMs(policy, n))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  const full = { ...policy, jitter: 'full' as const };
  expect(backoffDelayMs(full, 3, () => 0.5)).toBe(1000);
  expect(backoffDelayMs(full, 10, () => 0.999)).toBe(3996);
  expect(backoffDelayMs(full, 0, () => 0)).toBe(0);
});
