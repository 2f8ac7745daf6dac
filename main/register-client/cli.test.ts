/**
 * The CLI's own decisions, without a terminal: where the credentials go and that they are kept
 * owner-only, that a credentials file others can read is refused, that the token is printed
 * only when asked, and that bad input and an absent terminal get words a person can act on.
 * (Pairing, orders and refusals by a real terminal: client.test.ts, through the real host.)
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './cli';
import { defaultCredentialsFile, loadCredentials, saveCredentials } from './credentials';

const dir = mkdtempSync(join(tmpdir(), 'pos-register-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function io(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env },
  };
}

const credentials = {
  baseUrl: 'http://127.0.0.1:1',
  registerId: 'reg_1',
  name: 'Front',
  token: 'tok_secret_value_0123456789abcdefghijkl',
  callbackSecret: 'cbs_secret_value_0123456789abcdefghijkl',
  pairedAt: '2026-12-06T00:00:00.000Z',
};

test('the default credentials file is under the user config dir, beside the terminal’s', () => {
  assert.equal(
    defaultCredentialsFile('linux', { XDG_CONFIG_HOME: '/home/a/.config' }),
    '/home/a/.config/facepay-pos-register/credentials.json',
  );
  assert.match(
    defaultCredentialsFile('win32', { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }),
    /facepay-pos-register/,
  );
});

test('credentials are written owner-only (0600 in a 0700 folder)', () => {
  const file = join(dir, 'new-folder', 'credentials.json');
  saveCredentials(file, credentials);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'new-folder')).mode & 0o777, 0o700);
  assert.deepEqual(loadCredentials(file), credentials);
});

test('a credentials file others may read is refused, with the fix', () => {
  const file = join(dir, 'open.json');
  saveCredentials(file, credentials);
  chmodSync(file, 0o644);
  assert.throws(() => loadCredentials(file), /chmod 600/);
});

test('the token is printed only by `token`, never by other commands', async () => {
  const file = join(dir, 'token.json');
  saveCredentials(file, credentials);
  const shown = io();
  assert.equal(await runCli(['token', '--token-file', file], shown.io), 0);
  assert.ok(shown.out.join('\n').includes(credentials.token));
  // A refused request (nothing listens on port 1) says what to do without the token in it.
  const refused = io();
  assert.equal(await runCli(['query', 'R-1', '--token-file', file], refused.io), 1);
  const all = [...refused.out, ...refused.err].join('\n');
  assert.ok(!all.includes(credentials.token));
  assert.match(all, /cannot reach the terminal.*Is the terminal running/s);
});

test('the credentials file may come from POS_REGISTER_TOKEN_FILE', async () => {
  const file = join(dir, 'env.json');
  saveCredentials(file, credentials);
  const shown = io({ POS_REGISTER_TOKEN_FILE: file });
  assert.equal(await runCli(['token'], shown.io), 0);
  assert.ok(shown.out.join('\n').includes(credentials.callbackSecret));
});

test('not paired: says so and how to pair', async () => {
  const r = io();
  assert.equal(await runCli(['list', '--token-file', join(dir, 'none.json')], r.io), 1);
  assert.match(r.err.join('\n'), /not paired.*npm run register -- pair/);
});

test('usage errors: exit 2 with the reason and the usage', async () => {
  const file = join(dir, 'usage.json');
  saveCredentials(file, credentials);
  for (const argv of [
    ['order', 'R-1', '--amount-fen', '12.50', '--token-file', file],
    ['order', 'R-1', '--amount-fen', '-5', '--token-file', file],
    ['order', 'R-1', '--token-file', file],
    ['order', 'R-1', '--amount-fen', '100', '--line', 'coffee', '--token-file', file],
    ['pay', 'R-1', '--token-file', file],
    ['frobnicate', '--token-file', file],
    ['pair', '--code', '12345678'],
    ['query', '--nope'],
  ]) {
    const r = io();
    assert.equal(await runCli(argv, r.io), 2, argv.join(' '));
    assert.match(r.err.join('\n'), /npm run register -- COMMAND/, argv.join(' '));
  }
});

test('input the contract refuses is refused before it is sent (no terminal needed)', async () => {
  // A server that would record any connection: none may arrive.
  let connections = 0;
  const server = createServer((s) => {
    connections += 1;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const file = join(dir, 'validate.json');
  saveCredentials(file, { ...credentials, baseUrl: `http://127.0.0.1:${port}` });
  try {
    for (const argv of [
      ['order', 'R-1', '--amount-fen', '0'],
      ['order', '../etc', '--amount-fen', '100'],
      ['order', 'R-1', '--amount-fen', '100000001'],
    ]) {
      const r = io();
      assert.equal(await runCli([...argv, '--token-file', file], r.io), 1, argv.join(' '));
      assert.match(r.err.join('\n'), /VALIDATION/, argv.join(' '));
    }
    assert.equal(connections, 0);
  } finally {
    server.close();
  }
});
