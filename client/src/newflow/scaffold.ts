/**
 * What `Stepwise: New Flow` writes (plain Node, no `vscode`): the flow from a template and
 * `.stepwise/` in `.gitignore`; and what it finds out about the project the flow lands in (its
 * package.json, whether Stepwise is a dependency, the command that would add it).
 */
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { installCommand } from '../../../runtime/src/compile/packageNames';

export interface ScaffoldResult {
  flowFile: string;
  /** Files written or changed, with what happened to each, for the message shown. */
  changes: string[];
  /** The project (package.json) the flow is in, if any. */
  project?: ProjectInfo;
}

/** `my flow` / `my-flow` → `MyFlow`; always ends in `Flow`. */
export function className(name: string): string {
  const pascal = name
    .replace(/\.ts$/, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
  const safe = /^[A-Za-z]/.test(pascal) ? pascal : `My${pascal}`;
  return safe.endsWith('Flow') ? safe : `${safe}Flow`;
}

/** `MyFlow` → `my_flow.ts`. */
export function fileName(cls: string): string {
  return cls.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase() + '.ts';
}

export function flowTemplate(cls: string): string {
  return `import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';

/**
 * ${cls}: a starting point. Run it with the Run lens above the class, preview its DAG with
 * Show DAG, and set a breakpoint in a step then Debug.
 */
export default class ${cls} extends FlowSpec {
  /** How many items to process. */
  count = Parameter('count', { default: 3, help: 'how many items to process' });

  declare items: number[];
  declare square: number;
  declare total: number;

  /** Make the work list. */
  @step start() {
    this.items = Array.from({ length: this.count }, (_, i) => i + 1);
    this.next(this.process, { foreach: 'items' });
  }

  /** One task per item. */
  @step process() {
    this.square = (this.input as number) ** 2;
    console.log(\`item \${this.input} squared is \${this.square}\`);
    this.next(this.combine);
  }

  /** Gather the results. */
  @step combine(inputs: Inputs<${cls}>) {
    this.total = inputs.map((i) => i.square).reduce((a, b) => a + b, 0);
    this.next(this.end);
  }

  @step end() {
    console.log(\`total: \${this.total}\`);
  }
}
`;
}

/** `.gitignore` text with `.stepwise/` added, or undefined when it already ignores it. */
export function gitignoreWith(existing: string): string | undefined {
  const ignored = existing.split(/\r?\n/).some((l) => /^\/?\.stepwise\/?$/.test(l.trim()));
  if (ignored) return undefined;
  return `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}# Stepwise datastore (runs, artifacts, logs)\n.stepwise/\n`;
}

/** The package.json that governs `folder`: the nearest one at or above it, not above `stopAt`. */
export function findPackageJson(folder: string, stopAt?: string): string | undefined {
  for (let dir = resolve(folder); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'package.json');
    if ((stopAt && resolve(stopAt) === dir) || dirname(dir) === dir) return undefined;
  }
}

/** Whether a package.json already lists stepwise (in any kind of dependency). */
export function listsStepwise(packageJsonText: string): boolean {
  try {
    const pkg = JSON.parse(packageJsonText) as Record<string, Record<string, string> | undefined>;
    return ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some((k) => pkg[k]?.stepwise !== undefined);
  } catch {
    return false;
  }
}

/** The command that adds Stepwise as a dev dependency, in the package manager the project uses. */
export function addStepwiseCommand(projectDir: string): string {
  return installCommand(projectDir, ['stepwise'], { dev: true });
}

export interface ProjectInfo {
  /** The folder of the package.json. */
  dir: string;
  hasStepwise: boolean;
  /** What adding Stepwise to it would run there. */
  addCommand: string;
}

/**
 * Writes the flow (and `.stepwise/` into an existing `.gitignore`). Nothing else: the editor's
 * TypeScript resolves `stepwise` through the extension's TypeScript server plugin, so no
 * tsconfig.json and no path of this machine is written. `stopAt` (the workspace folder) bounds
 * the search for the project's package.json.
 */
export async function scaffold(folder: string, flowName: string, stopAt?: string): Promise<ScaffoldResult> {
  const cls = className(flowName);
  const flowFile = join(folder, fileName(cls));
  if (existsSync(flowFile)) throw new Error(`${flowFile} already exists: pick another name.`);
  const changes: string[] = [];
  await fs.writeFile(flowFile, flowTemplate(cls));
  changes.push(`wrote ${fileName(cls)}`);

  const gitignore = join(folder, '.gitignore');
  if (existsSync(gitignore)) {
    const g = gitignoreWith(await fs.readFile(gitignore, 'utf8'));
    if (g !== undefined) {
      await fs.writeFile(gitignore, g);
      changes.push('added .stepwise/ to .gitignore');
    }
  }
  const pkg = findPackageJson(folder, stopAt);
  const project: ProjectInfo | undefined = pkg
    ? { dir: dirname(pkg), hasStepwise: listsStepwise(await fs.readFile(pkg, 'utf8')), addCommand: addStepwiseCommand(dirname(pkg)) }
    : undefined;
  return { flowFile, changes, project };
}
