import path from 'node:path';
import express, { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../api/audit';
import type { Logger } from '../observability/logger';
import { HttpError } from '../server/http-errors';
import { type ConsoleAccounts, SESSION_HOURS, USERNAME } from './accounts';
import type { SignInThrottle } from './sign-in-throttle';

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

/**
 * The clinic console: its page and assets (no build step; plain modules), and its sign-in.
 * Everything the page shows comes from the public clinic API, which accepts the session cookie
 * (HttpOnly, SameSite=Strict, Secure behind https) in place of a key, with a CSRF token on every
 * change. No key is ever handed to the browser.
 */
export function consoleRouter(deps: { accounts: ConsoleAccounts; throttle: SignInThrottle; audit: AuditLog; logger: Logger; secureCookies: boolean; digits: 'latn' | 'arab'; timeZone: string }): Router {
  const router = Router();

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
      // Counted in the database before the password is checked: every instance sees every guess.
      const verdict = await deps.throttle.take(address, username);
      if (!verdict.ok) {
        res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
        throw new HttpError('too_many_sign_ins');
      }
      const signedIn = await deps.accounts.signIn(username, password);
      const who = { keyId: null, name: `${USERNAME.test(username) ? username : '(not a username)'} (console)`, scopes: [] };
      if (!signedIn) {
        await deps.audit.record(who, 'console.sign_in_failed', { source: address });
        deps.logger.warn({ source: address }, 'console sign-in refused: unknown name, wrong password or disabled account');
        throw new HttpError('sign_in_failed');
      }
      await deps.throttle.succeeded(address, username, verdict.taken);
      await deps.audit.record({ ...who, userId: signedIn.session.user.id }, 'console.sign_in', { source: address });
      cookie(req, res, signedIn.token, SESSION_HOURS * 3600);
      res.json({ signedIn: true, digits: deps.digits, timeZone: deps.timeZone, ...signedIn.session });
    } catch (error) {
      next(error);
    }
  });

  // Asked by the page on load: signed out is an answer, not an error.
  router.get('/session', async (req, res, next) => {
    try {
      const token = sessionCookie(req);
      const session = token ? await deps.accounts.session(token) : undefined;
      res.json(session ? { signedIn: true, digits: deps.digits, timeZone: deps.timeZone, ...session } : { signedIn: false, digits: deps.digits, timeZone: deps.timeZone });
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

