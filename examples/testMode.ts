import { FlowSpec, Parameter, current, project, step } from 'stepwise';

/**
 * The test-mode pattern (docs/TEST_MODE.md): on your own branch the flow runs on a small sample,
 * so that a change can be tried in seconds; with `--production` it runs on all the data.
 *
 *   stepwise run examples/testMode.ts                  # test mode: a sample of 50 orders
 *   stepwise run examples/testMode.ts --production     # all 5000 orders
 *   stepwise run examples/testMode.ts --test-mode false  # all the data, on your branch
 */
@project({ name: 'order_stats' })
export default class OrderStatsFlow extends FlowSpec {
  /** Computed when the run starts, from where it runs: true except in production. */
  testMode = Parameter('test-mode', {
    default: (ctx) => !ctx.isProduction,
    help: 'run on a small sample (default: on every branch but production)',
  });
  sampleSize = Parameter('sample-size', { default: 50, help: 'orders kept in test mode' });

  declare orders: number[];
  declare total: number;

  @step start() {
    const all = loadOrders();
    this.orders = this.testMode ? all.slice(0, this.sampleSize) : all;
    console.log(`${current.branchName}: ${this.testMode ? 'test mode' : 'full data'}, ${this.orders.length} of ${all.length} orders`);
    this.next(this.summarize);
  }

  /** The work that would be slow on all the data. */
  @step summarize() {
    this.total = this.orders.reduce((sum, amount) => sum + amount, 0);
    this.next(this.end);
  }

  @step end() {
    console.log(`${this.orders.length} orders, total ${this.total.toFixed(2)}`);
  }
}

/** Stands in for reading a table: 5000 order amounts, the same every run. */
function loadOrders(): number[] {
  return Array.from({ length: 5000 }, (_, i) => Math.round(((i * 7919) % 10007) / 100) + 0.5);
}
