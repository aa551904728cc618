import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError, TimeoutError } from '../../src/core/errors.js';
import type { Task, TaskManager } from '../../src/tasks/task.js';

/** A task the test releases by hand, reporting its progress. */
export function gatedTask(type = 'test-task', result: 'completed' | 'partial' | Error = 'completed') {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started = false;
  let progress = 0;
  const task: Task = {
    type,
    async run(signal) {
      started = true;
      progress = 1;
      await Promise.race([gate, new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }))]);
      if (result instanceof Error) throw result;
      return result;
    },
    details: () => ({ progress }),
  };
  return { task, release, isStarted: () => started };
}

export function taskManagerContract(name: string, make: () => Promise<TaskManager>): void {
  test(`${name}: submit, run, complete with live additionalInformation`, async () => {
    const tm = await make();
    const t = gatedTask();
    const id = await tm.submit(t.task);
    assert.match(id, /^[0-9a-f-]{36}$/);
    await new Promise((r) => setImmediate(r));
    const running = await tm.get(id);
    assert.equal(running?.status, 'inProgress');
    assert.deepEqual({ ...running?.additionalInformation, timestamp: 'x' }, { type: 'test-task', timestamp: 'x', progress: 1 });
    t.release();
    const done = await tm.await(id, 5_000);
    assert.equal(done.status, 'completed');
    assert.ok(done.startedDate && done.completedDate);
    assert.equal(done.failedDate, undefined);
    await tm.close();
  });

  test(`${name}: partial and throwing tasks end failed`, async () => {
    const tm = await make();
    const p = gatedTask('p', 'partial');
    const e = gatedTask('e', new Error('boom'));
    const pid = await tm.submit(p.task);
    const eid = await tm.submit(e.task);
    p.release();
    e.release();
    assert.equal((await tm.await(pid, 5_000)).status, 'failed');
    const failed = await tm.await(eid, 5_000);
    assert.equal(failed.status, 'failed');
    assert.ok(failed.failedDate);
    await tm.close();
  });

  test(`${name}: one at a time, FIFO`, async () => {
    const tm = await make();
    const a = gatedTask('a');
    const b = gatedTask('b');
    const aid = await tm.submit(a.task);
    const bid = await tm.submit(b.task);
    await new Promise((r) => setImmediate(r));
    assert.equal((await tm.get(bid))?.status, 'waiting');
    assert.equal(b.isStarted(), false);
    a.release();
    await tm.await(aid, 5_000);
    b.release();
    assert.equal((await tm.await(bid, 5_000)).status, 'completed');
    await tm.close();
  });

  test(`${name}: cancel waiting at once, running by request; unknown id is a no-op`, async () => {
    const tm = await make();
    const a = gatedTask('a');
    const b = gatedTask('b');
    const aid = await tm.submit(a.task);
    const bid = await tm.submit(b.task);
    await tm.cancel(bid);
    assert.equal((await tm.get(bid))?.status, 'canceled');
    await new Promise((r) => setImmediate(r));
    await tm.cancel(aid);
    const canceled = await tm.await(aid, 5_000);
    assert.equal(canceled.status, 'canceled');
    assert.ok(canceled.canceledDate);
    assert.ok(canceled.cancelledFrom);
    await tm.cancel('00000000-0000-0000-0000-000000000000');
    await tm.close();
  });

  test(`${name}: await times out, unknown id is NotFound, list filters newest first`, async () => {
    const tm = await make();
    const a = gatedTask('alpha');
    const aid = await tm.submit(a.task);
    await assert.rejects(tm.await(aid, 20), TimeoutError);
    await assert.rejects(tm.await('00000000-0000-0000-0000-000000000000', 20), NotFoundError);
    a.release();
    await tm.await(aid, 5_000);
    const b = gatedTask('beta');
    const bid = await tm.submit(b.task);
    assert.deepEqual((await tm.list()).map((x) => x.taskId), [bid, aid]);
    assert.deepEqual((await tm.list({ status: 'completed' })).map((x) => x.taskId), [aid]);
    assert.deepEqual((await tm.list({ type: 'beta' })).map((x) => x.taskId), [bid]);
    assert.deepEqual((await tm.list({ offset: 1, limit: 1 })).map((x) => x.taskId), [aid]);
    b.release();
    await tm.await(bid, 5_000);
    await tm.close();
  });
}
