import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import type { Request, Response } from 'express';

/** Browsers the pages are built for: a few years back, older phones included. */
const BROWSERS = ['chrome87', 'edge88', 'firefox78', 'safari14', 'ios14'];
/**
 * The officers' console runs on the center's desktops, kept up to date: its chart library (uPlot)
 * uses destructuring esbuild cannot lower for Safari 14, which only citizens' old phones still run.
 */
export const STAFF_BROWSERS = ['chrome109', 'edge109', 'firefox115', 'safari16'];

/**
 * A browser script built once at start-up from TypeScript (esbuild: one minified file, no build
 * step), served gzipped when the browser takes it and revalidated by ETag.
 */
export class BrowserBundle {
  private constructor(
    readonly js: Buffer,
    readonly gzipped: Buffer,
    private readonly etag: string,
  ) {}

  static build(entryPoint: string, browsers: readonly string[] = BROWSERS): BrowserBundle {
    const result = buildSync({
      entryPoints: [entryPoint],
      bundle: true,
      minify: true,
      format: 'iife',
      target: [...browsers],
      write: false,
      legalComments: 'none',
      // A browser folder's tsconfig.json is for type-checking only; the browsers above decide the output.
      tsconfigRaw: {},
    });
    const js = Buffer.from(result.outputFiles[0]!.contents);
    return new BrowserBundle(
      js,
      gzipSync(js, { level: 9 }),
      `"${createHash('sha256').update(js).digest('base64url').slice(0, 22)}"`,
    );
  }

  serve(req: Request, res: Response, headers: Record<string, string> = {}): void {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', this.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (req.headers['if-none-match'] === this.etag) {
      res.status(304).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.send(gzip ? this.gzipped : this.js);
  }
}
