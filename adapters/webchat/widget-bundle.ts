import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import express, { type Request, type Response, type Router } from 'express';

const SOURCE = fileURLToPath(new URL('./widget/widget.ts', import.meta.url));
const DEMO = fileURLToPath(new URL('./demo/index.html', import.meta.url));

/** The widget script, built once at start-up (esbuild: TypeScript to one minified file for old phones' browsers). */
export class WidgetBundle {
  private constructor(
    readonly js: Buffer,
    readonly gzipped: Buffer,
    private readonly etag: string,
  ) {}

  static build(): WidgetBundle {
    const result = buildSync({
      entryPoints: [SOURCE],
      bundle: true,
      minify: true,
      format: 'iife',
      target: ['chrome87', 'edge88', 'firefox78', 'safari14', 'ios14'],
      write: false,
      legalComments: 'none',
      // The widget's tsconfig.json is for type-checking only; the browsers targeted here decide the output.
      tsconfigRaw: {},
    });
    const js = Buffer.from(result.outputFiles[0]!.contents);
    return new WidgetBundle(js, gzipSync(js, { level: 9 }), `"${createHash('sha256').update(js).digest('base64url').slice(0, 22)}"`);
  }

  /** GET /widget.js: gzipped when the browser takes it, revalidated by ETag, cached briefly by others. */
  serve(req: Request, res: Response): void {
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('ETag', this.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    // Any site may embed the widget.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.headers['if-none-match'] === this.etag) {
      res.status(304).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.send(gzip ? this.gzipped : this.js);
  }
}

/** The demo page at `/`: a stand-in for the center's website with the widget embedded, as an operator would. */
export function demoPage(): string {
  return readFileSync(DEMO, 'utf8');
}

/** GET /widget.js and the demo page at GET /. */
export function widgetRoutes(bundle: WidgetBundle): Router {
  const router = express.Router();
  router.get('/widget.js', (req, res) => bundle.serve(req, res));
  const page = demoPage();
  router.get('/', (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
    );
    res.type('html').send(page);
  });
  return router;
}
