import { MemoryResourceStore } from '../../src/storage/resource-store.memory.js';
import { resourceStoreContract } from './resource-store.contract.js';

resourceStoreContract('MemoryResourceStore', async (clock) => new MemoryResourceStore(clock));
