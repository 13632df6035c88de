import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * What sits in front of a bridge (nginx, a load balancer, a CDN), done right or in one of the ways
 * peers' deployments broke: it forwards HTTP and tunnels WebSocket upgrades to the bridge, and
 * `behaviour` breaks it on purpose.
 */
export interface FrontBehaviour {
  /** Forwards an upgrade as a plain GET, without Upgrade, Connection and Sec-WebSocket-* (an HTTP/1.0 or misconfigured proxy). */
  stripUpgrade: boolean;
  /** Holds what the bridge sends on a tunnel and lets it through only every this many ms (a buffering proxy). */
  bufferMs: number | undefined;
  /** Upgrades allowed per window; past it they get 429 from the proxy (a rate limiter in front of /ws/). */
  upgradeLimit: { count: number; windowMs: number } | undefined;
  /** A tunnel with no byte either way for this long is cut (an idle timeout). */
  idleTimeoutMs: number | undefined;
  /** Terminates TLS with this key and certificate (PEM). */
  tls: { key: string; cert: string } | undefined;
}

export interface FrontProxy {
  /** The proxy's own base URL (http:// or https://127.0.0.1:port). */
  url: string;
  /** Where it forwards (set after the bridge behind it has started, so the bridge can be told the proxy's URL). */
  target: string | undefined;
  upgrades: number;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-extensions', 'sec-websocket-protocol', 'keep-alive', 'transfer-encoding']);

export async function startFrontProxy(behaviour: Partial<FrontBehaviour> = {}): Promise<FrontProxy> {
  const b: FrontBehaviour = { stripUpgrade: false, bufferMs: undefined, upgradeLimit: undefined, idleTimeoutMs: undefined, tls: undefined, ...behaviour };
  const sockets = new Set<Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  let windowStart = 0;
  let inWindow = 0;
  const state: FrontProxy = { url: '', target: undefined, upgrades: 0, close: async () => undefined };
  const upstream = () => {
    if (!state.target) throw new Error('the front proxy has no target yet');
    const u = new URL(state.target);
    return { host: u.hostname, port: Number(u.port) };
  };

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const forward = http.request({ ...upstream(), method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name))));
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end('bad gateway'));
    req.pipe(forward);
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    state.upgrades++;
    if (b.upgradeLimit) {
      const now = Date.now();
      if (now - windowStart > b.upgradeLimit.windowMs) {
        windowStart = now;
        inWindow = 0;
      }
      if (++inWindow > b.upgradeLimit.count) {
        const body = '<html><body><h1>429 Too Many Requests</h1></body></html>';
        socket.end(`HTTP/1.1 429 Too Many Requests\r\nserver: front-proxy\r\ncontent-type: text/html\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
        return;
      }
    }
    if (b.stripUpgrade) {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      const plain = http.request({ ...upstream(), method: req.method, path: req.url, headers }, (answer) => {
        let body = '';
        answer.on('data', (chunk: Buffer) => (body += chunk.toString()));
        answer.on('end', () => {
          const type = String(answer.headers['content-type'] ?? 'text/plain');
          socket.end(`HTTP/1.1 ${answer.statusCode} ${http.STATUS_CODES[answer.statusCode ?? 502]}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
        });
      });
      plain.on('error', () => socket.destroy());
      plain.end();
      return;
    }
    const tunnel = net.connect(upstream());
    sockets.add(tunnel);
    tunnel.on('error', () => socket.destroy());
    tunnel.on('close', () => {
      sockets.delete(tunnel);
      socket.destroy();
    });
    socket.on('close', () => tunnel.destroy());
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    tunnel.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) tunnel.write(head);
    let lastByteMs = Date.now();
    socket.on('data', (chunk: Buffer) => {
      lastByteMs = Date.now();
      tunnel.write(chunk);
    });
    if (b.bufferMs === undefined) {
      tunnel.on('data', (chunk: Buffer) => {
        lastByteMs = Date.now();
        socket.write(chunk);
      });
    } else {
      let held: Buffer[] = [];
      tunnel.on('data', (chunk: Buffer) => {
        lastByteMs = Date.now();
        held.push(chunk);
      });
      const flush = setInterval(() => {
        if (held.length === 0) return;
        socket.write(Buffer.concat(held));
        held = [];
      }, b.bufferMs);
      timers.add(flush);
      tunnel.on('close', () => clearInterval(flush));
    }
    if (b.idleTimeoutMs !== undefined) {
      const idle = b.idleTimeoutMs;
      const watch = setInterval(() => {
        if (Date.now() - lastByteMs < idle) return;
        socket.destroy();
        tunnel.destroy();
      }, 100);
      timers.add(watch);
      tunnel.on('close', () => clearInterval(watch));
    }
  };

  const server = b.tls ? https.createServer({ key: b.tls.key, cert: b.tls.cert }, onRequest) : http.createServer(onRequest);
  server.on('upgrade', onUpgrade);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `${b.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  state.close = async () => {
    for (const timer of timers) clearInterval(timer);
    for (const socket of sockets) socket.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

/** A "test server" deployed instead of the bridge: /health says ok, nothing else exists (no WebSocket routes). */
export async function startTestServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Cannot GET</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
