import http from 'node:http';
import net from 'node:net';

/** Which backend served what, in the order requests arrived. */
export interface Routed {
  kind: 'http' | 'upgrade';
  method: string;
  path: string;
  backend: number;
}

export interface RoundRobinProxy {
  readonly url: string;
  readonly routed: Routed[];
  close(): Promise<void>;
}

/**
 * A load balancer for tests with several bridge processes: every HTTP request and every
 * WebSocket upgrade goes to the next backend in turn (per request, not per connection, so a
 * webhook and the stream it asks for usually reach different instances). Like nginx's
 * `proxy_next_upstream error`, a backend that refuses the connection (killed) is skipped.
 * Upgrades are passed through as bytes, unbuffered, for as long as either side keeps them open.
 */
export async function startRoundRobinProxy(backendPorts: readonly number[]): Promise<RoundRobinProxy> {
  let turn = 0;
  const routed: Routed[] = [];
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };

  /** Connects to the next backend that accepts, trying each at most once. */
  const connect = (attempt: (backend: number, done: (ok: boolean) => void) => void, onNone: () => void) => {
    const first = turn++ % backendPorts.length;
    const tryFrom = (offset: number) => {
      if (offset >= backendPorts.length) return onNone();
      const backend = (first + offset) % backendPorts.length;
      attempt(backend, (ok) => {
        if (!ok) tryFrom(offset + 1);
      });
    };
    tryFrom(0);
  };

  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on('data', (chunk: Buffer) => body.push(chunk));
    req.on('end', () => {
      connect(
        (backend, done) => {
          const upstream = http.request(
            { host: '127.0.0.1', port: backendPorts[backend], method: req.method, path: req.url, headers: req.headers, agent: false },
            (answer) => {
              done(true);
              routed.push({ kind: 'http', method: req.method ?? '', path: req.url ?? '', backend });
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          );
          upstream.on('error', (error: NodeJS.ErrnoException) => {
            if (error.code === 'ECONNREFUSED') return done(false);
            if (!res.headersSent) res.writeHead(502).end();
            else res.destroy();
          });
          upstream.end(Buffer.concat(body));
        },
        () => res.writeHead(502).end('no backend answered'),
      );
    });
  });

  server.on('upgrade', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    track(client);
    client.on('error', () => undefined);
    connect(
      (backend, done) => {
        const upstream = net.connect(backendPorts[backend] as number, '127.0.0.1');
        upstream.once('error', () => done(false));
        upstream.once('connect', () => {
          done(true);
          track(upstream);
          upstream.removeAllListeners('error');
          upstream.on('error', () => client.destroy());
          routed.push({ kind: 'upgrade', method: req.method ?? '', path: req.url ?? '', backend });
          const lines = [`${req.method} ${req.url} HTTP/1.1`];
          for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
          upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
          if (head.length > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
          upstream.on('close', () => client.destroy());
          client.on('close', () => upstream.destroy());
        });
      },
      () => client.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'),
    );
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
