import { CLIENT_CHARTS } from './client-charts.js';
import { CLIENT_MAIN } from './client-main.js';
import { CLIENT_UTIL } from './client-util.js';
import { CLIENT_VIEWS } from './client-views.js';
import { DASHBOARD_HTML, LOGO_SVG } from './page.js';
import { DASHBOARD_CSS } from './styles.js';

/** One static file the dev server serves. */
export interface Asset {
  type: string;
  body: string;
}

/** The dashboard's script: the four parts in one strict-mode IIFE, so nothing leaks into `window`. */
export const DASHBOARD_JS = `(function () {\n'use strict';\n${CLIENT_UTIL}${CLIENT_CHARTS}${CLIENT_VIEWS}${CLIENT_MAIN}})();\n`;

/** Every dashboard file by request path; all of it is in this package, nothing comes from a CDN. */
export const DASHBOARD_ASSETS: Readonly<Record<string, Asset>> = {
  '/': { type: 'text/html; charset=utf-8', body: DASHBOARD_HTML },
  '/index.html': { type: 'text/html; charset=utf-8', body: DASHBOARD_HTML },
  '/dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_JS },
  '/dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  '/favicon.svg': { type: 'image/svg+xml', body: LOGO_SVG },
};
