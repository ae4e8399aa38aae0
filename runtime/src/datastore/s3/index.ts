export { S3Datastore } from './store';
