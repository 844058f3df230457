// jsforce v3 against the sfdc-bulk emulator, unchanged: if jsforce disagrees with the
// emulator, the emulator is wrong (or it is one of jsforce's documented quirks, named
// where it matters).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { openSession, admin as adminOf, NASTY } from './emulator_session.mjs';

let session;
let conn;
const admin = (path) => adminOf(session.url, path);

// One job with several batches, as jsforce users load files above 10,000 records.
async function loadInBatches(object, operation, records, batchSize, options = {}) {
  const job = conn.bulk.createJob(object, operation, options);
  const batches = [];
  for (let i = 0; i < records.length; i += batchSize) {
    const batch = job.createBatch();
    batch.on('queue', () => batch.poll(100, 120000));
    batch.execute(records.slice(i, i + batchSize));
    batches.push(batch);
  }
  const results = [];
  for (const batch of batches) results.push(...(await batch));
  await job.close();
  return { job, results };
}

async function collect(recordStream) {
  const rows = [];
  recordStream.on('record', (r) => rows.push(r));
  await once(recordStream, 'end');
  return rows;
}

before(async () => {
  session = await openSession();
  conn = session.conn;
});

after(() => session?.close());

const contacts = Array.from({ length: 25000 }, (_, i) => ({
  FirstName: i % 1000 === 0 ? NASTY : `First${i}`,
  LastName: `Last${i}`,
  Email: `c${i}@example.com`,
  External_Id__c: `EXT-${i}`,
}));
let inserted;

test('insert 25,000 contacts as three batches of one job', async () => {
  const { job, results } = await loadInBatches('Contact', 'insert', contacts, 10000);
  assert.equal(results.length, contacts.length);
  assert.ok(results.every((r) => r.success && r.created), 'every row inserted');
  assert.ok(results.every((r) => /^003[0-9A-Za-z]{15}$/.test(r.id)), 'Contact ids, 18 chars');
  assert.equal(new Set(results.map((r) => r.id)).size, contacts.length, 'ids unique');
  const batches = await job.list();
  assert.equal(batches.length, 3);
  assert.ok(batches.every((b) => b.state === 'Completed'));
  const info = await job.check();
  assert.equal(info.state, 'Closed');
  assert.equal(Number(info.numberRecordsProcessed), 25000);
  inserted = results.map((r, i) => ({ ...contacts[i], Id: r.id }));
});

test('update through bulk.load', async () => {
  const rows = inserted.slice(0, 500).map(({ Id }) => ({ Id, Title: 'Updated' }));
  rows.push({ Id: '003000000000000AAA', Title: 'nobody' });
  const results = await conn.bulk.load('Contact', 'update', rows);
  assert.equal(results.length, 501);
  assert.ok(results.slice(0, 500).every((r) => r.success && !r.created));
  assert.equal(results[500].success, false);
  assert.equal(results[500].errors.length, 1);
});

test('upsert by external id: matches update, new keys create', async () => {
  const rows = [
    { External_Id__c: 'EXT-1', LastName: 'Upserted' },
    { External_Id__c: 'EXT-NEW-1', LastName: 'Brand new' },
  ];
  const results = await conn.bulk.load('Contact', 'upsert', { extIdField: 'External_Id__c' }, rows);
  assert.equal(results.length, 2);
  assert.deepEqual(
    results.map((r) => [r.success, r.created]),
    [
      [true, false],
      [true, true],
    ],
  );
  assert.equal(results[0].id, inserted[1].Id);
});

test('delete through bulk.load', async () => {
  const rows = inserted.slice(24000).map(({ Id }) => ({ Id }));
  const results = await conn.bulk.load('Contact', 'delete', rows);
  assert.equal(results.length, 1000);
  assert.ok(results.every((r) => r.success));
});

test('bulk.query streams every live record back', async () => {
  const rows = await collect(
    await conn.bulk.query('SELECT Id, FirstName, LastName, Title, External_Id__c FROM Contact'),
  );
  assert.equal(rows.length, 24000 + 1);
  const byExt = new Map(rows.map((r) => [r.External_Id__c, r]));
  assert.equal(byExt.get('EXT-0').FirstName, NASTY);
  assert.equal(byExt.get('EXT-1').LastName, 'Upserted');
  assert.equal(byExt.get('EXT-2').Title, 'Updated');
  assert.equal(byExt.get('EXT-NEW-1').LastName, 'Brand new');
  assert.equal(byExt.get('EXT-24500'), undefined, 'deleted rows are not queried');
});

test('queryAll also returns deleted records', async () => {
  const results = await conn.bulk.load(
    'Contact',
    'queryAll',
    "SELECT Id, IsDeleted FROM Contact WHERE External_Id__c LIKE 'EXT-24%'",
  );
  assert.ok(results.length >= 1);
  const rows = [];
  for (const r of results) {
    rows.push(...(await collect(conn.bulk.job(r.jobId).batch(r.batchId).result(r.id))));
  }
  // EXT-24 and EXT-240..EXT-249 and EXT-2400..2499 are live; EXT-24000..24999 deleted.
  const deleted = rows.filter((r) => r.IsDeleted === 'true');
  assert.equal(deleted.length, 1000);
  assert.equal(rows.length, 1 + 10 + 100 + 1000);
});

test('abort marks the job Aborted and refuses new batches', async () => {
  const job = conn.bulk.createJob('Contact', 'insert');
  await job.open();
  const aborted = await job.abort();
  assert.equal(aborted.state, 'Aborted');
  const info = await job.check();
  assert.equal(info.state, 'Aborted');
  const late = job.createBatch();
  late.execute([{ LastName: 'Too late' }]);
  // A Batch is a thenable, not a Promise: wrap it for assert.rejects.
  await assert.rejects(new Promise((resolve, reject) => late.then(resolve, reject)), (err) => {
    assert.equal(err.name, 'InvalidJobState');
    return true;
  });
});

test('jsforce refreshes the token when the emulator expires the session', async () => {
  const before = conn.accessToken;
  await admin('expire-sessions');
  const results = await conn.bulk.load('Contact', 'insert', [{ LastName: 'After expiry' }]);
  assert.equal(results.length, 1);
  assert.ok(results[0].success);
  assert.notEqual(conn.accessToken, before, 'a new access token was issued');
});

test('errors come back in the shape jsforce parses', async () => {
  await assert.rejects(conn.bulk.job('750000000000000AAA').check(), (err) => {
    assert.equal(err.name, 'InvalidJob');
    return true;
  });
});
