/**
 * What `Stepwise: New Flow` writes (plain Node, no `vscode`): the flow from a template, a
 * tsconfig.json whose `paths` point `stepwise` at the type declarations shipped in the
 * extension (visible, and undone by deleting those lines), and `.stepwise/` in `.gitignore`.
 */
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';

export interface ScaffoldResult {
  flowFile: string;
  /** Files written or changed, with what happened to each, for the message shown. */
  changes: string[];
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

const COMMENT =
  'Added by Stepwise: New Flow, so the editor resolves `stepwise` to the declarations shipped with the extension. Remove the paths entries to undo.';

/**
 * A tsconfig.json for a folder that has none, or the existing one with `paths` for `stepwise`
 * added (undefined when it cannot be parsed as plain JSON — then the user is told what to add).
 */
export function tsconfigWith(existing: string | undefined, typesDir: string): string | undefined {
  const paths = {
    stepwise: [join(typesDir, 'api', 'index.d.ts')],
    'stepwise/client': [join(typesDir, 'client', 'index.d.ts')],
  };
  if (existing === undefined) {
    return (
      JSON.stringify(
        {
          $comment: COMMENT,
          compilerOptions: {
            target: 'ES2022',
            // Flows are bundled by esbuild when they run; the editor resolves imports like a bundler.
            module: 'preserve',
            moduleResolution: 'bundler',
            lib: ['ES2023', 'DOM'],
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            paths,
          },
          include: ['**/*.ts'],
          exclude: ['.stepwise', 'node_modules'],
        },
        null,
        2,
      ) + '\n'
    );
  }
  let cfg: { compilerOptions?: { paths?: Record<string, string[]> } } & Record<string, unknown>;
  try {
    cfg = JSON.parse(existing);
  } catch {
    return undefined;
  }
  cfg.compilerOptions ??= {};
  cfg.compilerOptions.paths = { ...(cfg.compilerOptions.paths ?? {}), ...paths };
  cfg.$comment ??= COMMENT;
  return JSON.stringify(cfg, null, 2) + '\n';
}

/** `.gitignore` text with `.stepwise/` added, or undefined when it already ignores it. */
export function gitignoreWith(existing: string): string | undefined {
  const ignored = existing.split(/\r?\n/).some((l) => /^\/?\.stepwise\/?$/.test(l.trim()));
  if (ignored) return undefined;
  return `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}# Stepwise datastore (runs, artifacts, logs)\n.stepwise/\n`;
}

export async function scaffold(folder: string, flowName: string, typesDir: string): Promise<ScaffoldResult> {
  const cls = className(flowName);
  const flowFile = join(folder, fileName(cls));
  if (existsSync(flowFile)) throw new Error(`${flowFile} already exists: pick another name.`);
  const changes: string[] = [];
  await fs.writeFile(flowFile, flowTemplate(cls));
  changes.push(`wrote ${fileName(cls)}`);

  const tsconfig = join(folder, 'tsconfig.json');
  const old = existsSync(tsconfig) ? await fs.readFile(tsconfig, 'utf8') : undefined;
  const next = tsconfigWith(old, typesDir);
  if (next === undefined)
    changes.push(
      `tsconfig.json has comments or is not plain JSON: add "paths": { "stepwise": ["${join(typesDir, 'api', 'index.d.ts')}"] } to its compilerOptions`,
    );
  else if (next !== old) {
    await fs.writeFile(tsconfig, next);
    changes.push(
      old === undefined
        ? 'wrote tsconfig.json (paths: stepwise → the extension’s type declarations)'
        : 'added paths for stepwise to tsconfig.json',
    );
  }

  const gitignore = join(folder, '.gitignore');
  if (existsSync(gitignore)) {
    const g = gitignoreWith(await fs.readFile(gitignore, 'utf8'));
    if (g !== undefined) {
      await fs.writeFile(gitignore, g);
      changes.push('added .stepwise/ to .gitignore');
    }
  }
  return { flowFile, changes };
}
