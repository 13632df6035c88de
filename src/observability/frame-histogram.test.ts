import { Histogram, Registry } from 'prom-client';
import { FrameHistogram } from './frame-histogram';

const BUCKETS = [0.00001, 0.00002, 0.00003, 0.00005, 0.000075, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01];

/** prom-client's Histogram and ours, fed the same values, each in a registry of its own. */
function pair(buckets: number[] = BUCKETS) {
  const theirs = new Registry();
  const ours = new Registry();
  const config = { name: 'bridge_test_frame_seconds', help: 'A per-frame time.', buckets };
  const reference = new Histogram({ ...config, registers: [theirs] });
  const histogram = new FrameHistogram({ ...config, registers: [ours] });
  return { theirs, ours, reference, histogram };
}

test('exposes exactly what prom-client\'s Histogram exposes for the same observations: every bucket, the sum to the last bit, the count', async () => {
  const { theirs, ours, reference, histogram } = pair();
  // Nothing observed yet: every series at 0, as prom-client shows an unlabelled histogram.
  expect(await ours.metrics()).toBe(await theirs.metrics());
  // Values on the bounds (a bound is inclusive), between them, below the first, above the last, zero.
  const fixed = [...BUCKETS, 0, 0.000001, 0.011, 3, ...BUCKETS.map((b) => b * 1.0000001)];
  for (const v of fixed) {
    reference.observe(v);
    histogram.observe(v);
  }
  const text = await ours.metrics();
  expect(text).toBe(await theirs.metrics());
  expect(text).toContain('bridge_test_frame_seconds_bucket{le="0.00001"} 3\n'); // 0, 0.000001 and the bound itself
  expect(text).toContain('bridge_test_frame_seconds_bucket{le="0.01"} 25\n'); // all but 0.011, 3 and the one just above 0.01
  expect(text).toContain(`bridge_test_frame_seconds_bucket{le="+Inf"} ${fixed.length}\n`);
  // Then many, spread over every bucket: the sums agree to the last bit (added in the same order).
  let seed = 7;
  for (let i = 0; i < 5000; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const v = (seed / 2 ** 31) ** 3 * 0.02;
    reference.observe(v);
    histogram.observe(v);
  }
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(await ours.metrics()).toContain(`bridge_test_frame_seconds_count ${fixed.length + 5000}\n`);
  // The same through the JSON a cluster's registries are merged from.
  expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
});

test('a reset shows what prom-client shows (no series until the next observation); a value that is not a finite number is not counted and does not throw', async () => {
  const { theirs, ours, reference, histogram } = pair();
  histogram.observe(0.004);
  histogram.observe(Number.NaN);
  histogram.observe(Number.POSITIVE_INFINITY);
  expect(await ours.getSingleMetricAsString('bridge_test_frame_seconds')).toMatch(/^bridge_test_frame_seconds_count 1$/m);
  reference.observe(0.004);
  ours.resetMetrics();
  theirs.resetMetrics();
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(await ours.metrics()).not.toContain('_count');
  histogram.observe(0.00002);
  reference.observe(0.00002);
  expect(await ours.metrics()).toBe(await theirs.metrics());
  expect(await ours.metrics()).toContain('bridge_test_frame_seconds_count 1\n');
});

test('buckets must be given in increasing order, distinct and finite (prom-client would expose unsorted ones miscounted)', () => {
  for (const buckets of [[0.01, 0.001], [0.1, 0.1], [0.1, Number.POSITIVE_INFINITY], [Number.NaN]]) {
    expect(() => new FrameHistogram({ name: 'x_seconds', help: 'x', buckets, registers: [] })).toThrow(/increasing, finite/);
  }
});
