import { describe } from 'node:test';
import { MemorySecretLinkStore } from '../../src/calendar/secret-link-store.memory.js';
import { secretLinkStoreContract } from './secret-link-store.contract.js';

describe('MemorySecretLinkStore', () => secretLinkStoreContract(async () => new MemorySecretLinkStore()));
