/** The datastore suite on the local store: both "machines" share the folder (as on a shared filesystem). */
import { datastoreSuite } from './suite';

datastoreSuite('datastore suite: local store', (ws) => ({
  env: () => ({ STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: ws.root }),
  client: { root: ws.root },
}));
