/**
 * Runs a suite once per task isolation (`--task-isolation process|thread`): every CLI its tests
 * start inherits STEPWISE_TASK_ISOLATION, so the same assertions hold for task processes and for
 * tasks in the threads of a task host.
 */
export const ISOLATIONS = ['process', 'thread'] as const;
export type Isolation = (typeof ISOLATIONS)[number];

export function describeIsolations(title: string, body: (this: Mocha.Suite, isolation: Isolation) => void): void {
  for (const isolation of ISOLATIONS) {
    describe(`${title} (--task-isolation ${isolation})`, function () {
      let saved: string | undefined;
      // Hooks, not the describe body: the body runs when mocha loads the file, the tests later.
      before(() => {
        saved = process.env.STEPWISE_TASK_ISOLATION;
        process.env.STEPWISE_TASK_ISOLATION = isolation;
      });
      after(() => {
        if (saved === undefined) delete process.env.STEPWISE_TASK_ISOLATION;
        else process.env.STEPWISE_TASK_ISOLATION = saved;
      });
      body.call(this, isolation);
    });
  }
}
