import { MongoUploadStore } from '../../src/storage/upload-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { UPLOAD_EXPIRATION_MS, uploadStoreContract } from './upload-store.contract.js';

uploadStoreContract('MongoUploadStore', async (clock) => {
  const { db } = await freshMongo();
  const store = new MongoUploadStore(db, clock, UPLOAD_EXPIRATION_MS);
  await store.init();
  return store;
});
