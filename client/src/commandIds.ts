/** Command ids, as contributed in package.json. */
export const CommandIds = {
  run: 'stepwise.runFlow',
  debug: 'stepwise.debugFlow',
  resumeDebug: 'stepwise.resumeDebug',
  showDag: 'stepwise.showDag',
  restartServer: 'stepwise.restartServer',
} as const;
