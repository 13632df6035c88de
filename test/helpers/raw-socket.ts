import { randomBytes } from 'node:crypto';
import net from 'node:net';

/**
 * A hand-made HTTP/WebSocket peer over a bare TCP socket, for what no well-behaved client can
 * send: an invalid Host header, or a WebSocket that never answers the server's close frame.
 */

/** Sends raw request bytes; resolves with the status code of the answer (0 if the server just closed). */
export function rawHttpStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (status) {
        socket.destroy();
        resolve(Number(status[1]));
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', reject);
  });
}

export interface RawWebSocket {
  socket: net.Socket;
  /** Opcodes of the frames received (0x1 text, 0x8 close, 0x9 ping). */
  opcodes: number[];
  /** Resolves when the server ends the TCP connection. */
  ended: Promise<void>;
  sendText(text: string): void;
}

/** Upgrades with the given headers and returns the socket once the server answered 101; never answers a close. */
export function rawWebSocket(port: number, path: string, headers: Record<string, string> = {}): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    const opcodes: number[] = [];
    const ended = new Promise<void>((done) => socket.on('close', () => done()));
    let buffer = Buffer.alloc(0);
    let upgraded = false;
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve({ socket, opcodes, ended, sendText: (text) => socket.write(maskedTextFrame(text)) });
      }
      // Server frames are unmasked; lengths up to 64 KiB are enough here.
      while (buffer.length >= 2) {
        const opcode = (buffer[0] as number) & 0x0f;
        let length = (buffer[1] as number) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        }
        if (buffer.length < offset + length) return;
        opcodes.push(opcode);
        buffer = buffer.subarray(offset + length);
      }
    });
    socket.on('error', () => undefined);
  });
}

/** One client→server text frame (clients must mask). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] as number)));
  return Buffer.concat([header, mask, masked]);
}
