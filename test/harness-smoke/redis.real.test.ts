import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { requireEnv } from '../support/real.js';

test('redis: set/get, expire, ttl', async (t) => {
  const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: 2 });
  t.after(() => redis.quit());
  const prefix = `smoke:${process.pid}:${Date.now()}:`;

  assert.equal(await redis.set(`${prefix}greeting`, 'bonjour'), 'OK');
  assert.equal(await redis.get(`${prefix}greeting`), 'bonjour');

  await redis.set(`${prefix}short`, 'x', 'PX', 150);
  const ttl = await redis.pttl(`${prefix}short`);
  assert.ok(ttl > 0 && ttl <= 150, `pttl ${ttl}`);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await redis.get(`${prefix}short`), null);

  await redis.set(`${prefix}long`, 'y');
  assert.equal(await redis.expire(`${prefix}long`, 60), 1);
  const secs = await redis.ttl(`${prefix}long`);
  assert.ok(secs > 50 && secs <= 60, `ttl ${secs}`);

  assert.equal(await redis.del(`${prefix}greeting`, `${prefix}long`), 2);
});
