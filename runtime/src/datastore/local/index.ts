export { LocalDatastore } from './store';
export { localChangeOf, type LocalChange } from './layout';
