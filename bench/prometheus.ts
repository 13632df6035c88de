/** Just enough of the Prometheus text format to read the bridge's histograms and counters. */

export interface Bucket {
  le: number;
  /** Cumulative count of observations ≤ le. */
  count: number;
}

export interface HistogramSnapshot {
  buckets: Bucket[];
  sum: number;
  count: number;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

const matches = (labels: Record<string, string>, wanted: Record<string, string>) =>
  Object.entries(wanted).every(([k, v]) => labels[k] === v);

/** A histogram summed over every series whose labels include `wanted`. */
export function readHistogram(text: string, name: string, wanted: Record<string, string> = {}): HistogramSnapshot {
  const byLe = new Map<number, number>();
  let sum = 0;
  let count = 0;
  for (const s of parseSamples(text)) {
    if (!matches(s.labels, wanted)) continue;
    if (s.name === `${name}_bucket`) {
      const le = s.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels['le']);
      byLe.set(le, (byLe.get(le) ?? 0) + s.value);
    } else if (s.name === `${name}_sum`) sum += s.value;
    else if (s.name === `${name}_count`) count += s.value;
  }
  const buckets = [...byLe].map(([le, c]) => ({ le, count: c })).sort((a, b) => a.le - b.le);
  return { buckets, sum, count };
}

/** Observations made between two scrapes. */
export function diffHistogram(end: HistogramSnapshot, start: HistogramSnapshot): HistogramSnapshot {
  const before = new Map(start.buckets.map((b) => [b.le, b.count]));
  return {
    buckets: end.buckets.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) })),
    sum: end.sum - start.sum,
    count: end.count - start.count,
  };
}

export interface Estimate {
  /** Seconds; linear interpolation inside the bucket holding the rank (as histogram_quantile). */
  value: number;
  /** The rank fell in the +Inf bucket: the true value is above `value` (the largest bound). */
  above: boolean;
}

/** Prometheus histogram_quantile: linear interpolation within the bucket; lowest bucket from 0. */
export function histogramQuantile(h: HistogramSnapshot, q: number): Estimate {
  const total = h.buckets.at(-1)?.count ?? 0;
  if (total <= 0) return { value: Number.NaN, above: false };
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const b of h.buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return { value: lower, above: true };
      const inBucket = b.count - below;
      const fraction = inBucket > 0 ? (rank - below) / inBucket : 1;
      return { value: lower + (b.le - lower) * fraction, above: false };
    }
    lower = b.le;
    below = b.count;
  }
  return { value: lower, above: true };
}

/** A counter's or gauge's values summed by one label (or all under ''). */
export function readByLabel(text: string, name: string, label?: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of parseSamples(text)) {
    if (s.name !== name) continue;
    const key = label ? (s.labels[label] ?? '') : '';
    out[key] = (out[key] ?? 0) + s.value;
  }
  return out;
}
