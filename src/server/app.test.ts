import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import { createApp } from './app';
import { Readiness } from './readiness';

describe('health, readiness and metrics', () => {
  let server: Server;
  let base: string;
  const readiness = new Readiness();

  beforeAll(async () => {
    const app = createApp({ logger: createLogger({ level: 'silent' }), metrics: createMetrics(), readiness });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('/health answers ok', async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('/ready is 503 while starting, 200 when ready, 503 again while draining', async () => {
    const starting = await fetch(`${base}/ready`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ status: 'starting', components: {} });
    readiness.markReady();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    readiness.setComponent('speech', { status: 'degraded', reason: 'no DEEPGRAM_API_KEY: keypad answers only' });
    expect(await (await fetch(`${base}/ready`)).json()).toEqual({
      status: 'ready',
      components: { speech: { status: 'degraded', reason: 'no DEEPGRAM_API_KEY: keypad answers only' } },
    });
    readiness.markDraining();
    readiness.markReady();
    expect((await fetch(`${base}/ready`)).status).toBe(503);
  });

  test('/metrics serves Prometheus text with the Node defaults, event-loop lag included', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_p99_seconds gauge$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
  });

  test('unknown routes are a JSON 404', async () => {
    const res = await fetch(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', message: 'no route for GET /nope' });
  });

  test('two apps in one process keep separate registries', async () => {
    const a = createMetrics();
    const b = createMetrics();
    expect(a.registry).not.toBe(b.registry);
    expect(await a.registry.getSingleMetricAsString('nodejs_eventloop_lag_seconds')).toMatch(/nodejs_eventloop_lag_seconds/);
  });
});
