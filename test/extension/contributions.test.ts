/** client/src/contributions.ts against package.json `contributes`, both ways, and the code using only it. */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Commands, ContextKeys, DAG_WEBVIEW, explorerItemContext, LOG_LANGUAGE, Settings, Views } from '../../client/src/contributions';
import { DEBUG_TYPE } from '../../runtime/src/debug/protocol';
import { repoRoot } from '../support/cli';

interface Contributes {
  commands: Array<{ command: string }>;
  keybindings: Array<{ command: string; when?: string }>;
  menus: Record<string, Array<{ command: string; when?: string }>>;
  configuration: { properties: Record<string, { type: string; default: unknown; enum?: string[] }> };
  views: Record<string, Array<{ id: string }>>;
  viewsContainers: { activitybar: Array<{ id: string }> };
  viewsWelcome: Array<{ view: string; contents: string }>;
  debuggers: Array<{ type: string }>;
  languages: Array<{ id: string }>;
  grammars: Array<{ language: string }>;
}

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: Contributes; activationEvents: string[] };
const c = pkg.contributes;
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const whenClauses = [...c.keybindings, ...Object.values(c.menus).flat()].map((m) => m.when ?? '');
const explorerKinds = ['flow', 'run', 'step', 'task', 'artifact', 'log', 'more', 'error', 'info'] as const;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('contributions: client/src/contributions.ts matches package.json', () => {
  it('declares every contributed command, and package.json contributes every declared one', () => {
    assert.deepEqual(sorted(Object.values(Commands)), sorted(c.commands.map((x) => x.command)));
  });

  it('menus, keybindings and welcome links name only declared commands', () => {
    const known = new Set<string>(Object.values(Commands));
    for (const m of [...c.keybindings, ...Object.values(c.menus).flat()]) assert.ok(known.has(m.command), m.command);
    for (const w of c.viewsWelcome) {
      for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(known.has(id), id);
    }
  });

  it('types every setting with the type, default and values package.json gives it, and no other', () => {
    const props = c.configuration.properties;
    assert.deepEqual(sorted(Object.values(Settings).map((s) => s.key)), sorted(Object.keys(props)));
    for (const s of Object.values(Settings)) {
      const p = props[s.key];
      assert.equal(p.type, s.type, s.key);
      assert.deepEqual(p.default, s.default, s.key);
      assert.deepEqual(p.enum, 'enum' in s ? [...s.enum] : undefined, s.key);
    }
  });

  it('sets every context key the when clauses read, and each one it sets is read', () => {
    const viewIds = new Set<string>([
      ...Object.values(Views),
      ...Object.values(c.views)
        .flat()
        .map((v) => v.id),
    ]);
    const itemContexts = new Set(explorerKinds.map(explorerItemContext));
    const read = new Set<string>();
    for (const when of whenClauses) {
      // `viewItem =~ /^stepwise\.(run|step)$/` names item contexts, not context keys.
      const withoutRegex = when.replace(/=~\s*\/(?:\\.|[^/])*\//g, '');
      for (const [name] of withoutRegex.matchAll(/\bstepwise\.[\w.]+/g)) {
        if (!viewIds.has(name) && !itemContexts.has(name) && name !== DAG_WEBVIEW) read.add(name);
      }
    }
    assert.deepEqual(sorted(read), sorted(Object.values(ContextKeys)));
  });

  it('webview menus name the DAG preview by its panel type', () => {
    const webviewIds = whenClauses.flatMap((w) => [...w.matchAll(/webviewId == '([\w.]+)'/g)].map((m) => m[1]));
    assert.ok(webviewIds.length > 0);
    for (const id of webviewIds) assert.equal(id, DAG_WEBVIEW);
  });

  it("the Runs view's menus match only item contexts the tree sets", () => {
    const itemContexts = explorerKinds.map(explorerItemContext);
    for (const when of whenClauses) {
      for (const [, value] of when.matchAll(/viewItem == ([\w.]+)/g)) assert.ok(itemContexts.includes(value), value);
      for (const [, source] of when.matchAll(/viewItem =~ \/((?:\\.|[^/])*)\//g)) {
        assert.ok(
          itemContexts.some((x) => new RegExp(source).test(x)),
          `${source} matches no item context`,
        );
      }
    }
  });

  it('names the views, the webview, the debugger and the log language as package.json does', () => {
    assert.deepEqual(
      Object.values(c.views)
        .flat()
        .map((v) => v.id),
      [Views.explorer],
    );
    assert.deepEqual(Object.keys(c.views), [Views.container]);
    assert.deepEqual(
      c.viewsContainers.activitybar.map((v) => v.id),
      [Views.container],
    );
    assert.ok(pkg.activationEvents.includes(`onWebviewPanel:${DAG_WEBVIEW}`));
    assert.ok(pkg.activationEvents.includes(`onView:${Views.explorer}`));
    assert.deepEqual(
      c.debuggers.map((d) => d.type),
      [DEBUG_TYPE],
    );
    assert.deepEqual(
      c.languages.map((l) => l.id),
      [LOG_LANGUAGE],
    );
  });
});

describe('contributions: the extension registers, executes, reads and sets only through contributions.ts', () => {
  const clientSrc = join(repoRoot, 'client', 'src');
  const files = sourceFiles(clientSrc).filter((f) => !f.endsWith('contributions.ts'));
  const ids = [...Object.values(Commands), ...Object.values(Settings).map((s) => s.key), ...Object.values(ContextKeys), DAG_WEBVIEW];

  it('has no direct registerCommand, getConfiguration, setContext, or Stepwise command execution elsewhere', () => {
    const found: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const where = relative(repoRoot, f);
      for (const bad of [
        /commands\.registerCommand\(/,
        /getConfiguration\(/,
        /['"]setContext['"]/,
        /executeCommand\([^)]*['"]stepwise\./,
      ]) {
        if (bad.test(text)) found.push(`${where}: ${bad.source}`);
      }
      for (const id of ids) if (text.includes(`'${id}'`) || text.includes(`"${id}"`)) found.push(`${where}: '${id}'`);
    }
    assert.deepEqual(found, []);
  });
});
