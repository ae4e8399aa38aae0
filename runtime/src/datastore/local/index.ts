export { LocalDatastore } from './store';
