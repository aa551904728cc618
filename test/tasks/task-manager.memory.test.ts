import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { MemoryTaskManager } from '../../src/tasks/task-manager.memory.js';
import { startForTest } from '../support/sidecal.js';
import { gatedTask, taskManagerContract } from './task-manager.contract.js';

taskManagerContract('MemoryTaskManager', async () => new MemoryTaskManager({ node: 'node-1' }));

test('webadmin task routes: James report shape, await, cancel, list, validation', async () => {
  const s = await startForTest();
  const wa = (o: InjectOptions) => s.webadmin!.inject(o);
  assert.equal((await wa({ method: 'GET', url: '/tasks/not-a-uuid' })).json().message, 'Invalid task id');
  const unknown = await wa({ method: 'GET', url: '/tasks/00000000-0000-0000-0000-000000000000' });
  assert.deepEqual(unknown.json(), { statusCode: 404, type: 'notFound', message: '00000000-0000-0000-0000-000000000000 can not be found', details: null });
  const awaitUnknown = await wa({ method: 'GET', url: '/tasks/00000000-0000-0000-0000-000000000000/await?timeout=1s' });
  assert.equal(awaitUnknown.statusCode, 404);
  assert.equal(awaitUnknown.json().type, 'ServerError');
  assert.equal((await wa({ method: 'GET', url: '/tasks?status=bogus' })).json().message, 'Invalid status query parameter');
  assert.equal((await wa({ method: 'GET', url: '/tasks/00000000-0000-0000-0000-000000000000/await?timeout=forever' })).json().message, 'Invalid timeout');
  assert.equal((await wa({ method: 'DELETE', url: '/tasks/00000000-0000-0000-0000-000000000000' })).statusCode, 204);
  assert.deepEqual((await wa({ method: 'GET', url: '/tasks' })).json(), []);
  await s.close();
});

test('task reports render James dates and omit unset ones', async () => {
  const { report } = await import('../../src/webadmin/tasks-routes.js');
  const tm = new MemoryTaskManager({ node: 'side-1' });
  const t = gatedTask('reindex-calendar-events');
  const id = await tm.submit(t.task);
  t.release();
  const r = report(await tm.await(id, 5_000));
  assert.equal(r.submittedFrom, 'side-1');
  assert.equal(r.executedOn, 'side-1');
  assert.equal(r.cancelledFrom, null);
  assert.match(r.submitDate as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  assert.ok('completedDate' in r);
  assert.ok(!('failedDate' in r));
  assert.ok(!('canceledDate' in r));
  await tm.close();
});
