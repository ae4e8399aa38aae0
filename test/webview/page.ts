/**
 * Loads the real preview page (dist/webview.js + dist/preview.css, HTML from renderPreviewHtml)
 * in headless Chromium, with a stand-in for `acquireVsCodeApi` that records what the page posts.
 * Files are served from a fake origin through request interception, so the page's CSP is real.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderPreviewHtml } from '../../webview/src/html';
import type { FromWebview, PreviewState, ToWebview } from '../../webview/src/messages';
import { THEMES, themeCss, type ThemeKind } from './themes';

export const repoRoot = join(__dirname, '..', '..', '..');
export const screenshotDir = join(repoRoot, 'test-output', 'screenshots');
const ORIGIN = 'https://stepwise-preview.test';

export { CHROMIUM_ARGS, launchChromium } from '../support/chromium';

type Of<T extends FromWebview['type']> = Extract<FromWebview, { type: T }>;

export interface PreviewPage {
  page: Page;
  sent: FromWebview[];
  /** Messages the page violated its CSP with, or threw; a test asserts this stays empty. */
  problems: string[];
  send(m: ToWebview): Promise<void>;
  /** Resolves with the first message of `type` posted after `since` (an index into `sent`). */
  next<T extends FromWebview['type']>(type: T, since?: number): Promise<Of<T>>;
  /** Sends a graph and waits for the page to report it painted. */
  draw(m: Extract<ToWebview, { type: 'graph' }>): Promise<Of<'rendered'>>;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openPreview(
  browser: Browser,
  opts: { theme?: ThemeKind; width?: number; height?: number; state?: PreviewState } = {},
): Promise<PreviewPage> {
  const theme = opts.theme ?? 'light';
  const context = await browser.newContext({ viewport: { width: opts.width ?? 900, height: opts.height ?? 600 } });
  const page = await context.newPage();
  const sent: FromWebview[] = [];
  const problems: string[] = [];
  const waiters: Array<() => void> = [];
  await page.exposeFunction('__stepwisePost', (m: FromWebview) => {
    sent.push(m);
    if (m.type === 'error') problems.push(`page error: ${m.message}`);
    for (const w of waiters.splice(0)) w();
  });
  await page.addInitScript((state) => {
    let saved: unknown = state;
    const w = window as unknown as Record<string, unknown>;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => (w.__stepwisePost as (m: unknown) => void)(m),
      getState: () => saved,
      setState: (s: unknown) => {
        saved = s;
        w.__stepwiseState = s;
      },
    });
  }, opts.state ?? null);
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));

  // VS Code injects its theme as CSS variables and a body class; the harness does the same.
  const html = renderPreviewHtml({
    cspSource: ORIGIN,
    nonce: 'n' + Math.random().toString(36).slice(2),
    scriptUri: `${ORIGIN}/webview.js`,
    styleUri: `${ORIGIN}/preview.css`,
  })
    .replace('<link rel="stylesheet"', `<link rel="stylesheet" href="${ORIGIN}/theme.css">\n<link rel="stylesheet"`)
    .replace('<body>', `<body class="${THEMES[theme].bodyClass}">`);
  await page.route(`${ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/index.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (path === '/theme.css') return route.fulfill({ contentType: 'text/css', body: themeCss(theme) });
    const file = path.slice(1);
    if (!/^[\w.-]+$/.test(file)) return route.fulfill({ status: 404, body: '' });
    try {
      const body = readFileSync(join(repoRoot, 'dist', file));
      const contentType = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      return route.fulfill({ contentType, body });
    } catch {
      return route.fulfill({ status: 404, body: '' });
    }
  });

  const next = <T extends FromWebview['type']>(type: T, since = 0): Promise<Of<T>> =>
    new Promise((resolve) => {
      const check = (): void => {
        const hit = sent.slice(since).find((m) => m.type === type);
        if (hit) resolve(hit as Of<T>);
        else waiters.push(check);
      };
      check();
    });

  const ready = next('ready');
  await page.goto(`${ORIGIN}/index.html`);
  await ready;

  const send = (m: ToWebview): Promise<void> => page.evaluate((msg) => window.postMessage(msg, '*'), m);
  return {
    page,
    sent,
    problems,
    send,
    next,
    async draw(m) {
      const since = sent.length;
      const done = next('rendered', since);
      await send(m);
      return done;
    },
    async screenshot(name) {
      mkdirSync(screenshotDir, { recursive: true });
      const file = join(screenshotDir, `webview-${name}.png`);
      await page.screenshot({ path: file });
      return file;
    },
    close: () => context.close(),
  };
}
