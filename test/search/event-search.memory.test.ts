import { MemoryEventSearch } from '../../src/search/event-search.memory.js';
import { eventSearchContract } from './event-search.contract.js';

eventSearchContract('MemoryEventSearch', async () => new MemoryEventSearch());
