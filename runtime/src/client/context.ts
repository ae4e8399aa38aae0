/** Which datastore the client reads: an explicit root, else the one the current folder (or a running task) uses. */
import { LocalDatastore } from '../datastore/local';
import { locateDatastoreRoot } from '../datastore/locate';

export interface ClientOptions {
  /** The datastore folder (`…/.stepwise`). Default: STEPWISE_DATASTORE_ROOT, else the nearest `.stepwise/` up from the current folder. */
  root?: string;
}

const stores = new Map<string, LocalDatastore>();

export function storeFor(o: ClientOptions = {}): LocalDatastore {
  const root = o.root ?? locateDatastoreRoot(process.cwd());
  let s = stores.get(root);
  if (!s) stores.set(root, (s = new LocalDatastore(root)));
  return s;
}
