import { MemoryDomainSettingsStore } from '../../src/storage/domain-settings-store.memory.js';
import { domainSettingsStoreContract } from './domain-settings-store.contract.js';

domainSettingsStoreContract('MemoryDomainSettingsStore', async () => new MemoryDomainSettingsStore());
