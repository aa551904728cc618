import { MemoryConfigurationStore } from '../../src/storage/configuration-store.memory.js';
import { configurationStoreContract } from './configuration-store.contract.js';

configurationStoreContract('MemoryConfigurationStore', async () => new MemoryConfigurationStore());
