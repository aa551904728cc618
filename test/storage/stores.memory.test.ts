import { MemoryDomainStore } from '../../src/storage/domain-store.memory.js';
import { MemoryUserStore } from '../../src/storage/user-store.memory.js';
import { domainStoreContract } from './domain-store.contract.js';
import { userStoreContract } from './user-store.contract.js';

domainStoreContract('MemoryDomainStore', async () => new MemoryDomainStore());
userStoreContract('MemoryUserStore', async () => {
  const domains = new MemoryDomainStore();
  return { domains, users: new MemoryUserStore(domains) };
});
