import { pino } from 'pino';
import { MemoryMessageBus } from '../../src/events/message-bus.memory.js';
import { messageBusContract } from './message-bus.contract.js';

messageBusContract('MemoryMessageBus', async () => {
  const bus = new MemoryMessageBus({ logger: pino({ level: 'silent' }), maxRetries: 3 });
  return { bus, deadLetters: async (q) => (bus.deadLetters.get(q) ?? []).map((m) => m.payload), close: () => bus.close() };
});
