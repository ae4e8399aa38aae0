/**
 * The browser half of a code-server test run: Debian's Chromium under playwright-core opens the
 * workbench with the test payload, receives the extension host's console and the suite's exit
 * code through the two hooks VS Code's automation driver calls, and serves screenshot requests.
 */
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../support/chromium';
import { parseScreenshotRequest, replyFileName, type ScreenshotReply, type ScreenshotRequest } from '../screenshotProtocol';

export interface WorkbenchSession {
  /** Resolves with the suite's result: 0 passed, non-zero failed. */
  exitCode: Promise<number>;
  /** Saves what the workbench shows now. */
  screenshot(file: string): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  chromiumPath: string;
  url: string;
  screenshotDir: string;
  /** The workbench's own console and page errors (noisy; kept out of the test output). */
  browserLogFile: string;
  /** Receives each line the extension host logs. */
  onLog: (line: string) => void;
}

const KNOWN_NOISE = ['ENOTFOUND open-vsx.org'];

export async function openWorkbench(opts: OpenOptions): Promise<WorkbenchSession> {
  const browser: Browser = await launchChromium(opts.chromiumPath);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const browserLog = (line: string) => appendFileSync(opts.browserLogFile, line + '\n');
    page.on('console', (msg) => browserLog(`[console.${msg.type()}] ${msg.text()}`));
    page.on('pageerror', (err) => browserLog(`[pageerror] ${err.stack ?? err.message}`));

    let settle!: (code: number) => void;
    const exitCode = new Promise<number>((resolve) => (settle = resolve));
    const shots = new ScreenshotServer(page, opts.screenshotDir);

    await page.exposeFunction('codeAutomationExit', (code: number) => settle(typeof code === 'number' ? code : 1));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      const line = Array.isArray(args) ? format(...(args as unknown[])) : format(args);
      const req = parseScreenshotRequest(line);
      if (req) shots.enqueue(req);
      // The gallery lookup fails on a closed network; harmless, and it would read as a test error.
      else if (KNOWN_NOISE.some((n) => line.includes(n))) browserLog(`[${type}] ${line}`);
      else opts.onLog(type === 'error' ? `[error] ${line}` : line);
    });
    await page.goto(opts.url);

    return {
      exitCode,
      screenshot: (file) => page.screenshot({ path: file }).then(() => undefined),
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}

/** Takes requested screenshots one at a time, each once its selectors are visible. */
class ScreenshotServer {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly page: Page,
    private readonly dir: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  enqueue(req: ScreenshotRequest): void {
    this.queue = this.queue.then(() => this.take(req));
  }

  private async take(req: ScreenshotRequest): Promise<void> {
    const file = join(this.dir, `${req.name}.png`);
    let reply: ScreenshotReply;
    try {
      const timeout = Math.max(1000, Math.min(req.timeoutMs, 60_000));
      for (const selector of req.waitFor) {
        await this.page.locator(selector).first().waitFor({ state: 'visible', timeout });
      }
      if (req.type) await this.page.keyboard.type(req.type);
      if (req.press) await this.page.keyboard.press(req.press);
      await this.page.screenshot({ path: file });
      reply = { id: req.id, ok: true, file };
    } catch (e) {
      // What the page showed instead: a picture beside the others, and the failure's own words.
      const failed = join(this.dir, `${req.name}.failed.png`);
      await this.page.screenshot({ path: failed }).catch(() => undefined);
      reply = { id: req.id, ok: false, error: `${e instanceof Error ? e.message : String(e)}\n(the page as it was: ${failed})` };
    }
    // The reply file is what the waiting suite watches for: write it last, in one piece.
    const tmp = join(this.dir, `.${req.name}.${req.id}.reply`);
    writeFileSync(tmp, JSON.stringify(reply));
    renameSync(tmp, join(this.dir, replyFileName(req.name)));
  }
}
