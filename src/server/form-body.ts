import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HttpError } from './http-errors';

/**
 * Parses a form-encoded body up to `limitBytes`. A Content-Length over the limit is refused at
 * once with 413 and `Connection: close`, without waiting for the upload (body-parser would read
 * all of it first). Other body errors reach the app's error handler as client errors.
 */
export function formBody(limitBytes: number): RequestHandler[] {
  const tooLarge = (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length']);
    if (!(declared > limitBytes)) return next();
    res.setHeader('Connection', 'close');
    next(new HttpError('body_too_large', `request body of ${declared} bytes is over the ${limitBytes}-byte limit`));
  };
  return [tooLarge, express.urlencoded({ extended: false, limit: limitBytes })];
}
