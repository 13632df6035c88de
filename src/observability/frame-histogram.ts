import type { Registry } from 'prom-client';

/** What a registry reads from a metric (prom-client's MetricObjectWithValues, for a histogram). */
interface HistogramValues {
  name: string;
  help: string;
  type: 'histogram';
  aggregator: 'sum';
  values: Array<{ labels: { le?: number | '+Inf' }; value: number; metricName: string; exemplar?: null }>;
}

/**
 * A histogram without labels for what is observed once per audio frame (tens of thousands of
 * times a second at a few hundred calls): counts in a typed array, one loop over the bounds per
 * observation, nothing allocated. prom-client's Histogram builds a labels object, hashes it and
 * counts under the bound turned into a property name on every observation (about 0.2 µs each in
 * a tight loop here, more among a call's other work). Registered like any metric and exposed in
 * the same lines, in the same order, as prom-client's Histogram with the same buckets.
 */
export class FrameHistogram {
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[] = [];
  private readonly bounds: Float64Array;
  /** Per bucket, not cumulative; the last slot counts what is above every bound. */
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;
  /** Reset and not observed since: no series at all, as prom-client shows a reset histogram. */
  private cleared = false;

  constructor(config: { name: string; help: string; buckets: readonly number[]; registers: readonly Registry[] }) {
    const buckets = config.buckets;
    if (buckets.some((b, i) => !Number.isFinite(b) || (i > 0 && b <= (buckets[i - 1] as number)))) throw new Error(`${config.name}: buckets must be increasing, finite numbers`);
    this.name = config.name;
    this.help = config.help;
    this.bounds = Float64Array.from(buckets);
    this.counts = new Float64Array(buckets.length + 1);
    // The registry reads a metric through name, help, type, aggregator, get() and reset(): all here.
    for (const registry of config.registers) registry.registerMetric(this as unknown as Parameters<Registry['registerMetric']>[0]);
  }

  /** One observation, in the unit of the buckets. Not a finite number: not counted (a metric must not throw into the audio path). */
  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.bounds;
    let b = 0;
    while (b < bounds.length && value > (bounds[b] as number)) b++;
    (this.counts[b] as number)++;
    this.sum += value;
    this.count++;
    this.cleared = false;
  }

  async get(): Promise<HistogramValues> {
    const values: HistogramValues['values'] = [];
    if (this.cleared) return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
    const bucket = `${this.name}_bucket`;
    let cumulative = 0;
    for (let b = 0; b < this.bounds.length; b++) {
      cumulative += this.counts[b] as number;
      values.push({ labels: { le: this.bounds[b] as number }, value: cumulative, metricName: bucket, exemplar: null });
    }
    values.push({ labels: { le: '+Inf' }, value: this.count, metricName: bucket, exemplar: null });
    values.push({ labels: {}, value: this.sum, metricName: `${this.name}_sum` });
    values.push({ labels: {}, value: this.count, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.cleared = true;
  }
}
