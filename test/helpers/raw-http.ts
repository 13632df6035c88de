import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** Request bytes written before the answer came (head included). */
  sentBytes: number;
}

export interface RawRequestOptions {
  /** Body bytes to send after the head; streamed in 64 KiB chunks until the answer arrives. */
  bodyBytes?: number | Buffer | string;
  /** Half-close the connection after the body, as a client that gives up. */
  endAfterBody?: boolean;
  timeoutMs?: number;
}

/**
 * Sends a request exactly as written (fetch cannot send a bad Host) and resolves with the first
 * complete response, without waiting for the rest of the upload or for the socket to close.
 */
export function rawRequest(base: string, head: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const { port, hostname } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let sentBytes = 0;
    let answer: RawResponse | undefined;
    const timer = setTimeout(() => finish(new Error(`no complete response within ${options.timeoutMs ?? 5000} ms: ${received.toString().slice(0, 200)}`)), options.timeoutMs ?? 5000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.destroy();
      if (answer) resolve(answer);
      else reject(error ?? new Error(`connection closed without a response: ${received.toString().slice(0, 200)}`));
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      answer = parse(received, sentBytes);
      if (answer) finish();
    });
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish());
    socket.on('connect', async () => {
      const write = (data: Buffer | string) =>
        new Promise<void>((done) => {
          sentBytes += Buffer.byteLength(data);
          if (socket.write(data)) done();
          else socket.once('drain', done);
        });
      await write(head);
      const body = options.bodyBytes;
      if (typeof body === 'number') {
        const chunk = Buffer.alloc(64 * 1024, 'a');
        for (let left = body; left > 0 && !answer && !socket.destroyed; left -= chunk.length) {
          await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
        }
      } else if (body !== undefined) {
        await write(body);
      }
      if (options.endAfterBody && !socket.destroyed) socket.end();
    });
  });
}

function parse(data: Buffer, sentBytes: number): RawResponse | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, headEnd).toString().split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = data.subarray(headEnd + 4);
  if (body.length < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.subarray(0, length).toString(), sentBytes };
}
