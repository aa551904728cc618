import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import { requireEnv, uniqueName } from '../support/real.js';


test('mongo: insert, find, unique index conflict, upserts, aggregate', async (t) => {
  const client = new MongoClient(requireEnv('MONGO_URL'), { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(uniqueName('smoke'));
  t.after(async () => {
    await db.dropDatabase().catch(() => undefined);
    await client.close();
  });
  const users = db.collection<{ email: string; name: string; logins?: number }>('users');

  await users.createIndex({ email: 1 }, { unique: true });
  const ins = await users.insertMany([
    { email: 'alice@example.org', name: 'Alice' },
    { email: 'bob@example.org', name: 'Bob' },
  ]);
  assert.equal(ins.insertedCount, 2);

  const found = await users.find({ email: 'bob@example.org' }).project({ _id: 0 }).toArray();
  assert.deepEqual(found, [{ email: 'bob@example.org', name: 'Bob' }]);

  await assert.rejects(
    users.insertOne({ email: 'alice@example.org', name: 'Alice again' }),
    (err: unknown) => err instanceof MongoServerError && err.code === 11000,
  );
  assert.equal(await users.countDocuments({}), 2);

  const updated = await users.findOneAndUpdate(
    { email: 'alice@example.org' },
    { $inc: { logins: 1 } },
    { returnDocument: 'after' },
  );
  assert.equal(updated?.logins, 1);

  const up = await users.updateOne({ email: 'carol@example.org' }, { $set: { name: 'Carol' } }, { upsert: true });
  assert.equal(up.upsertedCount, 1);
  assert.equal((await users.findOne({ email: 'carol@example.org' }))?.name, 'Carol');

  const agg = await users
    .aggregate<{ _id: null; n: number }>([{ $match: { email: { $regex: '@example\\.org$' } } }, { $group: { _id: null, n: { $sum: 1 } } }])
    .toArray();
  assert.deepEqual(agg, [{ _id: null, n: 3 }]);
});
