import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { HTTP_ERRORS, HttpError, type HttpErrorCode } from '../server/http-errors';
import { allows, type Principal, type Scope } from './keys';

/** What every clinic API route is built from: the scope check, the handler wrapper, body and query parsing. */
export type Authenticated = (req: Request, res: Response, principal: Principal) => Promise<void>;

export function scoped(scope: Scope): RequestHandler {
  return (_req, res, next) => {
    const principal = res.locals['principal'] as Principal;
    if (!allows(principal, scope)) return next(new HttpError('scope_missing', `the API key "${principal.name}" lacks the scope ${scope}`));
    next();
  };
}

export function handle(fn: Authenticated): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res, res.locals['principal'] as Principal).catch((error: unknown) => next(error instanceof HttpError ? error : storeError(error)));
  };
}

/** A database failure is the store's state, not a bug in the request: 503, and the route logs nothing more. */
export function storeError(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === 'STORE_UNAVAILABLE' || code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === '57P01') return new HttpError('store_unavailable', undefined, { cause: error });
  return error;
}

export function parse<T>(schema: z.ZodType<T>, input: unknown, code: 'invalid_query' | 'invalid_body'): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new HttpError(code, problems.join('; '));
}

/** A webhooks repository result: the value, or its BridgeError as the catalog's HTTP error. */
export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (result.ok) return result.value;
  const code = result.error.code.toLowerCase();
  if (code in HTTP_ERRORS) throw new HttpError(code as HttpErrorCode, result.error.message);
  throw result.error;
}

