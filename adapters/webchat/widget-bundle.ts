import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { BrowserBundle } from '../../src/http/browser-bundle.ts';

const SOURCE = fileURLToPath(new URL('./widget/widget.ts', import.meta.url));
const DEMO = fileURLToPath(new URL('./demo/index.html', import.meta.url));

/** The widget script, built once at start-up. */
export function buildWidget(): BrowserBundle {
  return BrowserBundle.build(SOURCE);
}

/** GET /widget.js (any site may embed it) and the demo page at GET /: the center's site as an operator would embed the widget. */
export function widgetRoutes(bundle: BrowserBundle): Router {
  const router = express.Router();
  router.get('/widget.js', (req, res) => bundle.serve(req, res, { 'Cross-Origin-Resource-Policy': 'cross-origin' }));
  const page = readFileSync(DEMO, 'utf8');
  router.get('/', (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; img-src 'self' data:; frame-ancestors 'none'",
    );
    res.type('html').send(page);
  });
  return router;
}
