// The jsforce v3 client of the end-to-end benchmark, written the way jsforce users load
// large files: one job, the file cut into 10,000-record batches with job.createBatch(),
// each batch polled with batch.poll() at jsforce's default interval, then its results;
// queries through bulk.query(...).stream() piped to a file. Only the poll timeout is
// raised (jsforce's default of 30 s is shorter than a million-row job takes).
//
//   node bench.mjs --url URL --phase insert --input contacts.csv
//   node bench.mjs --url URL --phase query  --output queried.csv
//   node bench.mjs --url URL --phase delete --input queried.csv
//
// With `--api 2`, over Bulk API 2.0 as jsforce users do it: conn.bulk2.loadAndWaitForResults
// per job and conn.bulk2.query(...).stream('csv') piped to a file. jsforce sends a job's
// whole input in one upload and the service takes at most 150 MB per job, so the file is
// cut into jobs of JOB_ROWS records (as simple-salesforce and Data Loader cut theirs),
// one job at a time: with four loadAndWaitForResults calls at once, jsforce 3.10.16 left
// its promises unsettled and the process ended with no result, although the emulator had
// answered every request of the four jobs (their result files included).
//
// JSFORCE_DIR names the directory whose node_modules holds jsforce (and csv-parse, a
// dependency of jsforce). Prints one JSON object like sfdc_bulk_bench does.
import { createRequire } from 'node:module';
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const require = createRequire(`${process.env.JSFORCE_DIR}/`);
const jsforce = require('jsforce');
const { parse } = require('csv-parse');

const SOQL =
  'SELECT Id, FirstName, LastName, Email, Phone, Title, Department, MailingStreet, ' +
  'MailingCity, MailingPostalCode, MailingCountry, Birthdate, HasOptedOutOfEmail, ' +
  'Legacy_Number__c, External_Id__c, Description FROM Contact';
const BATCH_SIZE = 10000;
const JOB_ROWS = 250000;
const JOB_CONCURRENCY = 1;
const POLL_TIMEOUT_MS = 3 * 60 * 60 * 1000;

function args() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i + 1 < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  if (!out.url || !out.phase) throw new Error('--url and --phase are required');
  return out;
}

async function connect(url) {
  const oauth2 = new jsforce.OAuth2({
    clientId: 'emulator-client-id',
    clientSecret: 'emulator-client-secret',
    loginUrl: url,
    redirectUri: 'http://localhost/callback',
  });
  const token = await oauth2.refreshToken('emulator-refresh-token');
  const conn = new jsforce.Connection({
    oauth2,
    instanceUrl: token.instance_url,
    accessToken: token.access_token,
    refreshToken: 'emulator-refresh-token',
    version: '59.0',
  });
  conn.bulk.pollTimeout = POLL_TIMEOUT_MS;
  return conn;
}

// One job; every 10,000 parsed rows become a batch, polled until done.
async function load(conn, operation, input, toRecord) {
  const job = conn.bulk.createJob('Contact', operation);
  const pending = [];
  let chunk = [];
  const submit = () => {
    const batch = job.createBatch();
    batch.on('queue', () => batch.poll(conn.bulk.pollInterval, conn.bulk.pollTimeout));
    batch.execute(chunk);
    pending.push(batch.then((results) => results));
    chunk = [];
  };
  const parser = createReadStream(input).pipe(parse({ columns: true, bom: true }));
  let rows = 0;
  for await (const row of parser) {
    chunk.push(toRecord(row));
    rows += 1;
    if (chunk.length === BATCH_SIZE) submit();
  }
  if (chunk.length > 0) submit();
  let succeeded = 0;
  let failed = 0;
  for (const results of await Promise.all(pending)) {
    for (const r of results) {
      if (r.success) succeeded += 1;
      else failed += 1;
    }
  }
  await job.close();
  return { rows, succeeded, failed, batches: pending.length };
}

// Bulk API 2.0: every JOB_ROWS parsed rows become one job, JOB_CONCURRENCY at a time.
async function load2(conn, operation, input, toRecord) {
  const running = new Set();
  const totals = { rows: 0, succeeded: 0, failed: 0, jobs: 0 };
  const submit = (records) => {
    const job = conn.bulk2
      .loadAndWaitForResults({
        object: 'Contact',
        operation,
        input: records,
        pollInterval: conn.bulk2.pollInterval,
        pollTimeout: POLL_TIMEOUT_MS,
      })
      .then((results) => {
        totals.succeeded += results.successfulResults.length;
        totals.failed += results.failedResults.length + results.unprocessedRecords.length;
        running.delete(job);
      });
    running.add(job);
    totals.jobs += 1;
  };
  const parser = createReadStream(input).pipe(parse({ columns: true, bom: true }));
  let chunk = [];
  for await (const row of parser) {
    chunk.push(toRecord(row));
    totals.rows += 1;
    if (chunk.length === JOB_ROWS) {
      while (running.size >= JOB_CONCURRENCY) await Promise.race(running);
      submit(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) submit(chunk);
  while (running.size > 0) await Promise.race(running);
  return totals;
}

async function query2(conn, output) {
  const records = await conn.bulk2.query(SOQL, { pollTimeout: POLL_TIMEOUT_MS });
  await pipeline(records.stream('csv'), createWriteStream(output));
  return {};
}

async function query(conn, output) {
  const records = await conn.bulk.query(SOQL);
  await pipeline(records.stream(), createWriteStream(output));
  return {};
}

async function main() {
  const opts = args();
  const started = process.hrtime.bigint();
  const conn = await connect(opts.url);
  let report;
  const v2 = opts.api === '2';
  if (opts.phase === 'insert') {
    report = await (v2 ? load2 : load)(conn, 'insert', opts.input, (row) => row);
  } else if (opts.phase === 'delete') {
    report = await (v2 ? load2 : load)(conn, 'delete', opts.input, (row) => ({ Id: row.Id }));
  } else if (opts.phase === 'query') {
    report = await (v2 ? query2 : query)(conn, opts.output);
  } else {
    throw new Error(`unknown phase ${opts.phase}`);
  }
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({
      client: opts.api === '2' ? 'jsforce-bulk2' : 'jsforce',
      phase: opts.phase,
      ...report,
      wallSeconds: wall,
      cpuUserSeconds: cpu.user / 1e6,
      cpuSysSeconds: cpu.system / 1e6,
      peakRssKb: process.resourceUsage().maxRSS,
    }) + '\n',
  );
}

main().catch((err) => {
  console.error(`jsforce bench: ${err.stack || err}`);
  process.exit(1);
});
