import type { IncomingHttpHeaders } from 'node:http';
import { isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { HttpError } from './http-errors';

const NAME = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?$/;
const IPV6 = /^\[([0-9A-Fa-f:.]+)\]$/;
const PORT = /^\d{1,5}$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]{0,15}$/;

/** `host[:port]`: a DNS name or IPv4 address, or a bracketed IPv6 literal, and a port up to 65535. */
export function isValidHost(value: string): boolean {
  if (value.length === 0 || value.length > 261) return false;
  const v6 = value.startsWith('[');
  const end = v6 ? value.indexOf(']') + 1 : value.lastIndexOf(':') === -1 ? value.length : value.lastIndexOf(':');
  if (end === 0) return false;
  const host = value.slice(0, end);
  const rest = value.slice(end);
  if (rest !== '' && !(rest.startsWith(':') && PORT.test(rest.slice(1)) && Number(rest.slice(1)) <= 65535)) return false;
  if (v6) return isIPv6(IPV6.exec(host)?.[1] ?? '');
  return host.length <= 253 && NAME.test(host);
}

/** Each comma-separated entry must be valid: proxies append to these headers. */
function everyEntry(value: string | string[] | undefined, valid: (entry: string) => boolean): boolean {
  if (value === undefined) return true;
  const joined = Array.isArray(value) ? value.join(',') : value;
  return joined.split(',').every((entry) => valid(entry.trim()));
}

const shown = (value: string | string[] | undefined) => JSON.stringify(value).slice(0, 100);

/**
 * What is wrong with the headers the public URL is built from (Host, X-Forwarded-Host,
 * X-Forwarded-Proto), or undefined. A request without Host (HTTP/1.0) passes: it has no URL to spoil.
 */
export function hostHeaderProblem(headers: IncomingHttpHeaders): HttpError | undefined {
  const { host } = headers;
  if (host !== undefined && !isValidHost(host)) return new HttpError('bad_host', `Host ${shown(host)} is not a valid host[:port]`);
  const forwardedHost = headers['x-forwarded-host'];
  if (!everyEntry(forwardedHost, isValidHost)) {
    return new HttpError('bad_forwarded_header', `X-Forwarded-Host ${shown(forwardedHost)} is not a valid host[:port]`);
  }
  const forwardedProto = headers['x-forwarded-proto'];
  if (!everyEntry(forwardedProto, (entry) => SCHEME.test(entry))) {
    return new HttpError('bad_forwarded_header', `X-Forwarded-Proto ${shown(forwardedProto)} is not a URL scheme`);
  }
  return undefined;
}

/** Refuses, before any route, a request whose Host or forwarding headers cannot make a URL. */
export function checkHostHeaders(req: Request, _res: Response, next: NextFunction): void {
  next(hostHeaderProblem(req.headers));
}
