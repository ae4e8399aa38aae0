/** The datastore suite on the local store: both "machines" share the folder (as on a shared filesystem). */
import { datastoreSuite } from './suite';

datastoreSuite('datastore suite: local store', (ws) => ({
  env: () => ({ STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: ws.root }),
  client: { root: ws.root },
}));

// The same suite with every task in a thread of a task host: logs, lazy reads, large artifacts
// passed by reference and resume must not differ.
datastoreSuite('datastore suite: local store, --task-isolation thread', (ws) => ({
  env: () => ({ STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: ws.root, STEPWISE_TASK_ISOLATION: 'thread' }),
  client: { root: ws.root },
}));
