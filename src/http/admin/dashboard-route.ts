/**
 * The dashboard page at /__emulator/ (and /__emulator/index.html): src/dashboard/index.html with
 * its stylesheet and script inlined, so the page is one self-contained answer that works offline
 * with no build step. The inlined blocks are pinned by hash in a Content-Security-Policy: the page
 * shows payloads (user and seeded data), and the policy keeps any markup that slipped through the
 * page's escaping from running.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordRoutes } from './declared-routes.ts';
import { refuseOtherMethods } from './method-guard.ts';
import express, { type Router } from 'express';
import { DASHBOARD_DIR } from '../../assets.ts';

export interface DashboardPage {
  html: string;
  csp: string;
}

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Assemble the page from src/dashboard/ (read once per router: the files ship with the package). */
export function buildDashboardPage(dir: string = DASHBOARD_DIR): DashboardPage {
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const css = read('dashboard.css');
  const js = read('dashboard.js');
  const html = read('index.html')
    .replace('<style data-inline="dashboard.css"></style>', () => `<style>${css}</style>`)
    .replace('<script data-inline="dashboard.js"></script>', () => `<script>${js}</script>`);
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "connect-src 'self'",
    "media-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

export function createDashboardRouter(page: DashboardPage = buildDashboardPage()): Router {
  const router = express.Router();
  const send = (req: express.Request, res: express.Response) => {
    // /__emulator without the slash: redirect, so the page's relative links resolve under it.
    const path = req.originalUrl.split('?')[0]!;
    if (req.path === '/' && !path.endsWith('/')) {
      res.redirect(308, `${path}/`);
      return;
    }
    res
      .status(200)
      .type('html')
      .set({
        'Cache-Control': 'no-store',
        'Content-Security-Policy': page.csp,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(page.html);
  };
  const routes = recordRoutes(router);
  routes.get('/', send);
  routes.get('/index.html', send);
  refuseOtherMethods(router);
  return router;
}
