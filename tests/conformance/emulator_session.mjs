// What every conformance test file starts with: the sfdc-bulk emulator started on a free
// port, and a jsforce connection to it signed in through the refresh-token grant.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(`${process.env.JSFORCE_DIR}/`);
export const jsforce = require('jsforce');

const CLIENT_ID = 'emulator-client-id';
const CLIENT_SECRET = 'emulator-client-secret';
const REFRESH_TOKEN = 'emulator-refresh-token';
export const NASTY = 'Zoë 東京 🚀 "quoted", with comma';

async function startEmulator() {
  const child = spawn(process.env.EMULATOR_BIN, ['--port', '0', '--workers', '4'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffer = '';
  for await (const chunk of child.stdout) {
    buffer += chunk.toString();
    const match = buffer.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)\n/);
    if (match) return { child, url: match[1] };
  }
  throw new Error(`emulator exited before listening: ${buffer}`);
}

/// POST to an emulator control endpoint (expire-sessions, reset, …).
export async function admin(url, path) {
  const res = await fetch(`${url}/_emulator/${path}`, { method: 'POST' });
  assert.equal(res.status, 200, `POST /_emulator/${path}`);
}

/// The emulator and a connection to it: { url, conn, close() }.
export async function openSession() {
  const { child, url } = await startEmulator();
  const oauth2 = new jsforce.OAuth2({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    loginUrl: url,
    redirectUri: 'http://localhost/callback',
  });
  const token = await oauth2.refreshToken(REFRESH_TOKEN);
  assert.equal(token.instance_url, url);
  assert.equal(token.token_type, 'Bearer');
  const conn = new jsforce.Connection({
    oauth2,
    instanceUrl: token.instance_url,
    accessToken: token.access_token,
    refreshToken: REFRESH_TOKEN,
    version: '59.0',
  });
  return { url, conn, close: () => child.kill('SIGTERM') };
}
