import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { installProcessHandlers } from './process-errors';

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const fake = new EventEmitter();
  const fatal: unknown[] = [];
  const metrics = createMetrics();
  installProcessHandlers({ logger: createLogger({ level: 'info', destination }), metrics, onFatal: (e) => fatal.push(e), process: fake });
  return { fake, fatal, lines, metrics };
}

describe('process-level handlers', () => {
  test('an unhandled rejection is logged with its error and counted; the process goes on', async () => {
    const { fake, fatal, lines, metrics } = setup();
    fake.emit('unhandledRejection', new Error('late write failed'));
    expect(fatal).toEqual([]);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'unhandled promise rejection (a bug; the bridge goes on)', err: { message: 'late write failed' } });
    expect(await metrics.registry.getSingleMetricAsString('bridge_internal_errors_total')).toContain('scope="unhandled_rejection"} 1');
  });

  test('an uncaught exception is logged at fatal and ends the process once', () => {
    const { fake, fatal, lines } = setup();
    fake.emit('uncaughtException', new Error('corrupt state'));
    fake.emit('uncaughtException', new Error('another'));
    expect(fatal).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 60, err: { message: 'corrupt state' } });
  });
});
