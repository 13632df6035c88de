import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface RunningService {
  child: ChildProcess;
  port: number;
  base: string;
  /** Every line the process has written to stdout so far (pino JSON). */
  lines: string[];
  exited: Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts the real entry point (src/main.ts through tsx) and waits for its "bridge ready" line.
 * `direct`: Node itself runs it with tsx as a loader, so `child` is the bridge's own process
 * (kill -9 reaches the bridge, not a launcher that would leave it running).
 */
export function startService(env: Record<string, string>, options: { direct?: boolean } = {}): Promise<RunningService> {
  const [command, args] = options.direct
    ? [process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')]]
    : [path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/main.ts')]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stderr }));
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let port = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'bridge listening' && entry.port) port = entry.port;
        if (entry.msg === 'bridge ready' && port) resolve({ child, port, base: `http://127.0.0.1:${port}`, lines, exited });
      }
    });
    exited.then(({ code, stderr: err }) => reject(new Error(`service exited with ${code} before listening: ${err}`)));
  });
}

/** Runs the entry point expecting it to refuse to start; returns its exit code and stderr. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stderr };
}
