/**
 * How a suite running inside the extension host asks the launcher for a screenshot of the
 * workbench. The suite can only talk to the launcher through the console (forwarded to the
 * launcher by `codeAutomationLog`) and the file system, so: the suite logs one marker line with
 * a JSON request; the launcher waits until every selector in it is visible, saves the PNG, and
 * then writes `<name>.json` (the reply) beside it. The suite waits for that reply file.
 * Shared by both sides; imports nothing from vscode or playwright.
 */

export const SCREENSHOT_MARKER = '[[stepwise:screenshot]]';

/** Set on the code-server process (the extension host inherits it): where shots and replies go. */
export const SCREENSHOT_DIR_ENV = 'STEPWISE_TEST_SCREENSHOT_DIR';

export interface ScreenshotRequest {
  /** File stem: letters, digits, `-` and `_` only (it names `<name>.png`). */
  name: string;
  /** Echoed in the reply, so a reply left by another run (same folder, same name) is not taken. */
  id: string;
  /** CSS selectors that must all be visible in the workbench before the shot is taken. */
  waitFor: string[];
  /** How long the launcher may wait for the selectors. */
  timeoutMs: number;
  /**
   * A key to press in the workbench once the selectors are visible, before the shot (Playwright's
   * key names: `F5`, `Control+F5`): a real keypress, resolved by VS Code's keybindings.
   */
  press?: string;
  /** Text typed (real keystrokes) once the selectors are visible, before `press`. */
  type?: string;
}

export interface ScreenshotReply {
  /** The request's id. */
  id: string;
  ok: boolean;
  /** Absolute path of the PNG when ok. */
  file?: string;
  /** Why it failed (a selector that never appeared, …) when not ok. */
  error?: string;
}

export function formatScreenshotRequest(req: ScreenshotRequest): string {
  return `${SCREENSHOT_MARKER}${JSON.stringify(req)}`;
}

/** The request carried by a console line, or undefined when the line is not a request. */
export function parseScreenshotRequest(line: string): ScreenshotRequest | undefined {
  const at = line.indexOf(SCREENSHOT_MARKER);
  if (at < 0) return undefined;
  try {
    const req = JSON.parse(line.slice(at + SCREENSHOT_MARKER.length)) as ScreenshotRequest;
    if (!isValidName(req.name) || typeof req.id !== 'string' || !Array.isArray(req.waitFor)) return undefined;
    if (req.press !== undefined && (typeof req.press !== 'string' || !/^[A-Za-z0-9+]{1,40}$/.test(req.press))) return undefined;
    if (req.type !== undefined && (typeof req.type !== 'string' || req.type.length > 200)) return undefined;
    return req;
  } catch {
    return undefined;
  }
}

export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(name);
}

export function replyFileName(name: string): string {
  return `${name}.json`;
}
