/**
 * bench/deepgram-server.ts as a child process: waits for its messages, measures the offset
 * between its clock and ours, and is killed on every way out.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { epochNowMs, type FromStandIn, type ToStandIn } from './stand-in-ipc';

export class StandInProcess {
  private readonly waiters: Array<{ type: FromStandIn['type']; resolve: (m: FromStandIn) => void }> = [];
  readonly exited: Promise<number | null>;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (message: FromStandIn) => {
      const index = this.waiters.findIndex((w) => w.type === message.type);
      if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** `interimMs`: speech between interim results. */
  static start(log: (line: string) => void, interimMs: number): StandInProcess {
    const child = fork(path.join(__dirname, 'deepgram-server.ts'), ['--interim-ms', String(interimMs)], {
      execArgv: ['--import', 'tsx'],
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.stdout?.on('data', (chunk: Buffer) => log(chunk.toString().trimEnd()));
    return new StandInProcess(child);
  }

  /** The next message of `type`; rejects if the child exits or `timeoutMs` passes first. */
  next<T extends FromStandIn['type']>(type: T, timeoutMs: number): Promise<Extract<FromStandIn, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`deepgram-server sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`deepgram-server exited (code ${code}) before sending "${type}"`));
      });
      this.waiters.push({
        type,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as Extract<FromStandIn, { type: T }>);
        },
      });
    });
  }

  send(message: ToStandIn): void {
    if (this.child.connected) this.child.send(message);
  }

  /** Sends `message` and waits for the answer of `type`. */
  ask<T extends FromStandIn['type']>(message: ToStandIn, type: T, timeoutMs = 30_000): Promise<Extract<FromStandIn, { type: T }>> {
    const answer = this.next(type, timeoutMs);
    this.send(message);
    return answer;
  }

  /**
   * Its clock minus ours, in ms, from the IPC round trip with the shortest time (the offset is
   * known to within half of it, returned as `uncertaintyMs`).
   */
  async clockOffset(rounds = 15): Promise<{ offsetMs: number; uncertaintyMs: number }> {
    let best = { offsetMs: Number.NaN, uncertaintyMs: Number.POSITIVE_INFINITY };
    for (let i = 0; i < rounds; i++) {
      const sentEpochMs = epochNowMs();
      const pong = await this.ask({ type: 'ping', sentEpochMs }, 'pong', 5000);
      const backMs = epochNowMs();
      const halfRoundTrip = (backMs - sentEpochMs) / 2;
      if (halfRoundTrip < best.uncertaintyMs) best = { offsetMs: pong.atEpochMs - (sentEpochMs + halfRoundTrip), uncertaintyMs: halfRoundTrip };
    }
    return best;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.send({ type: 'shutdown' });
    const timer = setTimeout(() => this.running && this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
