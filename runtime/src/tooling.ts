/**
 * dist/tooling.js: what the editor's language server takes from an installed Stepwise — the
 * parser and the linter of that version, so the editor reports what `stepwise check` of the
 * project's own version reports. Part of the editor protocol (package.json
 * `stepwise.editorProtocol`): change these signatures only with a new protocol number.
 */
export { parseFlow } from './graph';
export { lintFlow } from './lint';
