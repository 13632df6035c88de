import http from 'node:http';
import https from 'node:https';
import type { Target } from './types';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The first 16 KiB of the body, as text. */
  body: string;
  httpVersion: string;
}

/** A plain HTTP/1.1 request to the bridge (node:http, so the CA and the protocol version are ours to see). */
export function request(target: Target, path: string, options: { ca: string | undefined; timeoutMs: number; headers?: Record<string, string>; method?: string }): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const transport = target.secure ? https : http;
    const req = transport.request(
      {
        host: target.host,
        port: target.port,
        path,
        method: options.method ?? 'GET',
        headers: { accept: 'application/json', ...options.headers },
        agent: false,
        ...(target.secure ? { servername: isIp(target.host) ? undefined : target.host, ALPNProtocols: ['http/1.1'], ...(options.ca ? { ca: options.ca } : {}) } : {}),
        timeout: options.timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 16_384) body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.slice(0, 16_384), httpVersion: res.httpVersion }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** A JSON object body, or null. */
export function jsonOf(answer: HttpAnswer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(answer.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** An error's most telling part: a system code (ECONNREFUSED, CERT_HAS_EXPIRED) or the message. */
export function describeError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export function isIp(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}
