import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric the bridge exports is declared in this file, with its help text.
 * Names are a stable interface (dashboards depend on them): prefix `bridge_`, base units.
 */
export interface Metrics {
  registry: Registry;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Node's defaults include event-loop lag (nodejs_eventloop_lag_*), heap and GC.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  return { registry };
}
