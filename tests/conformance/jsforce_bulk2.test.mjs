// jsforce v3's Bulk API 2.0 client (conn.bulk2) against the sfdc-bulk emulator, unchanged:
// loads with loadAndWaitForResults, queries with bulk2.query, the job calls one by one,
// session expiry, and records shared with Bulk API 1.0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSession, admin, NASTY } from './emulator_session.mjs';

let session;
let conn;

before(async () => {
  session = await openSession();
  conn = session.conn;
  // jsforce polls every second for at most 30 s by default; the emulator is faster.
  conn.bulk2.pollInterval = 100;
  conn.bulk2.pollTimeout = 120000;
});

after(() => session?.close());

const contacts = Array.from({ length: 12000 }, (_, i) => ({
  FirstName: i % 1000 === 0 ? NASTY : `First${i}`,
  LastName: i === 5 ? '' : `Last${i}`,
  Email: `v2-${i}@example.com`,
  External_Id__c: `V2-${i}`,
}));
const ids = new Map();

test('bulk2.loadAndWaitForResults inserts, with successful and failed results', async () => {
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Contact',
    operation: 'insert',
    input: contacts,
  });
  assert.equal(results.successfulResults.length, contacts.length - 1);
  assert.equal(results.failedResults.length, 1);
  assert.equal(results.unprocessedRecords.length, 0);
  const failed = results.failedResults[0];
  assert.equal(failed.Email, 'v2-5@example.com');
  assert.match(failed.sf__Error, /^REQUIRED_FIELD_MISSING:/);
  for (const r of results.successfulResults) {
    assert.equal(r.sf__Created, 'true');
    assert.match(r.sf__Id, /^003\w{15}$/);
    ids.set(r.Email, r.sf__Id);
  }
  assert.equal(ids.size, contacts.length - 1);
  const nasty = results.successfulResults.find((r) => r.Email === 'v2-0@example.com');
  assert.equal(nasty.FirstName, NASTY);
});

test('bulk2.query reads every record back, field by field', async () => {
  const records = await (
    await conn.bulk2.query("SELECT Id, FirstName, Email FROM Contact WHERE Email LIKE 'v2-%'")
  ).toArray();
  assert.equal(records.length, contacts.length - 1);
  const byEmail = new Map(records.map((r) => [r.Email, r]));
  assert.equal(byEmail.get('v2-0@example.com').FirstName, NASTY);
  assert.equal(byEmail.get('v2-1@example.com').Id, ids.get('v2-1@example.com'));
});

test('upsert by external id updates matches and creates the rest', async () => {
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Contact',
    operation: 'upsert',
    externalIdFieldName: 'External_Id__c',
    input: [
      { External_Id__c: 'V2-1', LastName: 'Upserted' },
      { External_Id__c: 'V2-NEW', LastName: 'Created' },
    ],
  });
  assert.equal(results.successfulResults.length, 2);
  const created = Object.fromEntries(
    results.successfulResults.map((r) => [r.External_Id__c, r.sf__Created]),
  );
  assert.deepEqual(created, { 'V2-1': 'false', 'V2-NEW': 'true' });
});

test('delete through loadAndWaitForResults', async () => {
  const results = await conn.bulk2.loadAndWaitForResults({
    object: 'Contact',
    operation: 'delete',
    input: [{ Id: ids.get('v2-2@example.com') }, { Id: ids.get('v2-3@example.com') }],
  });
  assert.equal(results.successfulResults.length, 2);
  const left = await (
    await conn.bulk2.query("SELECT Id FROM Contact WHERE Email IN ('v2-2@example.com')")
  ).toArray();
  assert.equal(left.length, 0);
});

test('records loaded through Bulk API 1.0 are visible to bulk2.query', async () => {
  await conn.bulk.load('Account', 'insert', [{ Name: 'Loaded over 1.0' }]);
  const records = await (await conn.bulk2.query('SELECT Name FROM Account')).toArray();
  assert.deepEqual(
    records.map((r) => r.Name),
    ['Loaded over 1.0'],
  );
});

test('the job calls one by one: open, upload, close, poll, results, delete', async () => {
  const job = conn.bulk2.createJob({ object: 'Contact', operation: 'insert' });
  await job.open();
  assert.match(job.id, /^750\w{15}$/);
  await job.uploadData('LastName,Email\nStep,step@example.com\n');
  await job.close();
  await job.poll(100, 60000);
  const info = await job.check();
  assert.equal(info.state, 'JobComplete');
  assert.equal(info.numberRecordsProcessed, 1);
  const successful = await job.getSuccessfulResults();
  assert.equal(successful.length, 1);
  await job.delete();
});

test('an unknown column fails the whole job with the service message', async () => {
  await assert.rejects(
    conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'insert',
      input: 'LastName,NoSuchField__c\nA,b\n',
    }),
    (err) => {
      assert.match(String(err.message), /NoSuchField__c/);
      return true;
    },
  );
});

test('jsforce refreshes the token when the emulator expires the session', async () => {
  const before = conn.accessToken;
  await admin(session.url, 'expire-sessions');
  const records = await (await conn.bulk2.query('SELECT Id FROM Account')).toArray();
  assert.equal(records.length, 1);
  assert.notEqual(conn.accessToken, before, 'a new access token was issued');
});
