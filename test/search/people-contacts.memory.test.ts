import { MemoryContactSearchEngine } from '../../src/search/people-contacts.memory.js';
import { contactSearchContract } from './people-contacts.contract.js';

contactSearchContract('MemoryContactSearchEngine', async (contacts) => {
  const engine = new MemoryContactSearchEngine();
  for (const c of contacts) engine.add(c);
  return engine;
});
