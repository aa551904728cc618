import { describe } from 'node:test';
import { MongoSecretLinkStore } from '../../src/calendar/secret-link-store.mongo.js';
import { freshMongo } from '../support/real.js';
import { secretLinkStoreContract } from './secret-link-store.contract.js';

describe('MongoSecretLinkStore', () =>
  secretLinkStoreContract(async () => {
    const store = new MongoSecretLinkStore((await freshMongo()).db);
    await store.init();
    return store;
  }));
