/**
 * dist/server.js: the language server's entry. It loads the server bundle
 * (dist/server.bundle.js) and the TypeScript compiler it requires through V8's code cache.
 */
import { join } from 'node:path';
import { loadBundle } from '../../runtime/src/boot/codeCache';

loadBundle(join(__dirname, 'server.bundle.js'), module, ['typescript']);
