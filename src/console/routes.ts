import path from 'node:path';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../api/audit';
import type { Logger } from '../observability/logger';
import { HttpError } from '../server/http-errors';
import { type ConsoleAccounts, SESSION_HOURS, USERNAME } from './accounts';

export const CONSOLE_PREFIX = '/console';
export const SESSION_COOKIE = 'bridge_console';

/** The session cookie's value from the Cookie header, if any (the only cookie the bridge reads). */
export function sessionCookie(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return value.join('=');
  }
  return undefined;
}

const SignIn = z.object({ username: z.string().max(64), password: z.string().min(1).max(200) }).strict();

/** The client's address for throttling: an IPv6 client is counted by its /64 (it holds the whole block). */
function clientBlock(ip: string): string {
  if (!ip.includes(':') || ip.startsWith('::ffff:')) return ip;
  const [head] = ip.split('::');
  const groups = (head ?? '').split(':').concat(['0', '0', '0', '0']).slice(0, 4);
  return `${groups.join(':')}::/64`;
}

/** Failed sign-ins allowed per address and name (and per address) in the window, before 429. */
const FAILURES = { perName: 5, perAddress: 30, windowMs: 15 * 60_000 } as const;

/**
 * The clinic console: its page and assets (no build step; plain modules), and its sign-in.
 * Everything the page shows comes from the public clinic API, which accepts the session cookie
 * (HttpOnly, SameSite=Strict, Secure behind https) in place of a key, with a CSRF token on every
 * change. No key is ever handed to the browser.
 */
export function consoleRouter(deps: { accounts: ConsoleAccounts; audit: AuditLog; logger: Logger; secureCookies: boolean; digits: 'latn' | 'arab' }): Router {
  const router = Router();
  // Sign-in attempts by address (and by address and name), counted before the password is
  // checked so parallel guesses count too; a success takes its own back. In memory, per instance.
  const failures = new Map<string, number[]>();
  const recent = (key: string, now: number) => (failures.get(key) ?? []).filter((t) => now - t < FAILURES.windowMs);
  const prune = (now: number) => {
    if (failures.size < 10_000) return;
    for (const [key, times] of failures) if (times.every((t) => now - t >= FAILURES.windowMs)) failures.delete(key);
  };

  router.use((_req, res, next) => {
    // The page loads nothing from elsewhere and runs no inline script: an injected tag does nothing.
    res.setHeader('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const cookie = (req: Request, res: Response, token: string, maxAgeSeconds: number) => {
    const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`];
    if (deps.secureCookies || req.secure) parts.push('Secure');
    res.setHeader('Set-Cookie', parts.join('; '));
  };

  router.post('/session', express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      const body = SignIn.safeParse(req.body ?? {});
      if (!body.success) throw new HttpError('invalid_body', 'send {"username", "password"}');
      const { username, password } = body.data;
      const address = clientBlock(req.ip ?? 'unknown');
      const now = Date.now();
      prune(now);
      const byName = `${address}|${username}`;
      const [forName, forAddress] = [recent(byName, now), recent(address, now)];
      if (forName.length >= FAILURES.perName || forAddress.length >= FAILURES.perAddress) {
        const oldest = Math.min(...(forName.length >= FAILURES.perName ? forName : forAddress));
        res.setHeader('Retry-After', String(Math.max(1, Math.ceil((oldest + FAILURES.windowMs - now) / 1000))));
        throw new HttpError('too_many_sign_ins');
      }
      failures.set(byName, [...forName, now]);
      failures.set(address, [...forAddress, now]);
      const signedIn = await deps.accounts.signIn(username, password);
      const who = { keyId: null, name: `${USERNAME.test(username) ? username : '(not a username)'} (console)`, scopes: [] };
      if (!signedIn) {
        await deps.audit.record(who, 'console.sign_in_failed', { source: address });
        deps.logger.warn({ source: address }, 'console sign-in refused: unknown name, wrong password or disabled account');
        throw new HttpError('sign_in_failed');
      }
      // A success takes back its own count: the name's, and this one attempt from the address's.
      failures.delete(byName);
      const fromAddress = failures.get(address) ?? [];
      fromAddress.splice(fromAddress.lastIndexOf(now), 1);
      await deps.audit.record({ ...who, userId: signedIn.session.user.id }, 'console.sign_in', { source: address });
      cookie(req, res, signedIn.token, SESSION_HOURS * 3600);
      res.json({ signedIn: true, digits: deps.digits, ...signedIn.session });
    } catch (error) {
      next(error);
    }
  });

  // Asked by the page on load: signed out is an answer, not an error.
  router.get('/session', async (req, res, next) => {
    try {
      const token = sessionCookie(req);
      const session = token ? await deps.accounts.session(token) : undefined;
      res.json(session ? { signedIn: true, digits: deps.digits, ...session } : { signedIn: false, digits: deps.digits });
    } catch (error) {
      next(error);
    }
  });

  router.delete('/session', async (req, res, next) => {
    try {
      const token = sessionCookie(req);
      const session = token ? await deps.accounts.session(token) : undefined;
      if (token && session) {
        if (req.headers['x-csrf-token'] !== session.csrfToken) throw new HttpError('csrf_failed'); // a cross-site sign-out
        await deps.accounts.signOut(token);
        await deps.audit.record({ keyId: null, name: `${session.user.username} (console)`, scopes: [], userId: session.user.id }, 'console.sign_out', { source: req.ip ?? null });
      }
      cookie(req, res, '', 0);
      res.status(204).end();
    } catch (error) {
      next(error);
    }
  });

  router.use(express.static(path.join(__dirname, 'static'), { index: 'index.html', maxAge: 0 }));
  return router;
}

