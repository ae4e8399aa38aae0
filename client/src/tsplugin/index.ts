/**
 * The TypeScript server plugin (`contributes.typescriptServerPlugins`: stepwise-ts-plugin). It
 * runs inside VS Code's TypeScript server, for every project, and changes one thing: when the
 * project itself cannot resolve `stepwise` or `stepwise/client` (a folder with no package.json,
 * no tsconfig.json, no node_modules), those imports resolve to the declarations the extension
 * ships, so a flow shows no TypeScript errors and `this.` completes `next`, `input`… A project
 * that resolves them (Stepwise installed, or its own `paths`) keeps its own answer. Nothing is
 * written anywhere: the plugin only wraps the project's module resolution.
 *
 * Built into dist/tsplugin.js; the extension's node_modules/stepwise-ts-plugin loads it
 * (scripts/tsplugin.mjs), since TypeScript finds plugins by package name only.
 */
import { join } from 'node:path';
import type * as ts from 'typescript';
import { shippedDeclaration } from './shipped';

type Literals = NonNullable<ts.LanguageServiceHost['resolveModuleNameLiterals']>;
type Names = NonNullable<ts.LanguageServiceHost['resolveModuleNames']>;

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const t = modules.typescript;
  // dist/tsplugin.js sits beside dist/types.
  const typesDir = join(__dirname, 'types');

  const fallback = (name: string): ts.ResolvedModuleFull | undefined => {
    const file = shippedDeclaration(name, typesDir);
    return file ? { resolvedFileName: file, extension: t.Extension.Dts, isExternalLibraryImport: true } : undefined;
  };

  return {
    create(info) {
      const host = info.languageServiceHost;
      const log = (msg: string) => info.project.projectService.logger.info(`[stepwise-ts-plugin] ${msg}`);
      const literals = host.resolveModuleNameLiterals?.bind(host);
      if (literals) {
        host.resolveModuleNameLiterals = (...args: Parameters<Literals>) =>
          literals(...args).map((r, i) => {
            if (r.resolvedModule) return r;
            const shipped = fallback(args[0][i].text);
            // The rest of the result (the lookups that failed) stays: TypeScript keeps watching
            // them, so installing Stepwise later switches the project to its own types.
            return shipped ? { ...r, resolvedModule: shipped } : r;
          });
      } else {
        const names = host.resolveModuleNames?.bind(host);
        if (names) {
          host.resolveModuleNames = (...args: Parameters<Names>) => names(...args).map((r, i) => r ?? fallback(args[0][i]));
        }
      }
      log(`loaded for ${info.project.getProjectName()}; fallback declarations in ${typesDir}`);
      return info.languageService;
    },
  };
}

export = init;
