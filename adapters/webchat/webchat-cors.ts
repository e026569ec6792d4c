import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Which pages may use the chatbox: every origin, or the listed ones (WEBCHAT_ALLOWED_ORIGINS). */
export type AllowedOrigins = '*' | readonly string[];

/** A page's origin may use the chatbox when it is listed, or when any may; a client that is not a browser sends none. */
export function originAllowed(allowed: AllowedOrigins, origin: string | undefined): boolean {
  return origin === undefined || allowed === '*' || allowed.includes(origin);
}

/**
 * CORS for the HTTP fallback: allowed pages read the answers (and Retry-After), a preflight from any
 * other page is refused, and no answer is cached (each carries a conversation's messages).
 */
export function webchatCors(allowed: AllowedOrigins): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin !== undefined && originAllowed(allowed, origin)) {
      res.setHeader('Access-Control-Allow-Origin', allowed === '*' ? '*' : origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'OPTIONS') return next();
    if (origin === undefined || !originAllowed(allowed, origin)) {
      res.status(403).end();
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
