import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CloudRequestError } from '../client/index';
import { CloudClient, type TerminalCredentials } from '../client/index';
import { databaseLabel, startTestCloud, type TestCloud } from '../test-support';
import { SIGNATURE_HEADERS, signRequest } from './signing';

/** A signed request sent by hand, so a test can replay or alter it. */
function signed(
  creds: TerminalCredentials,
  method: string,
  path: string,
  body: string,
  now?: number,
) {
  return {
    'content-type': 'application/json',
    ...signRequest({
      terminalId: creds.terminalId,
      secret: Buffer.from(creds.secret, 'base64url'),
      method,
      pathAndQuery: path,
      body,
      ...(now === undefined ? {} : { now }),
    }),
  };
}

async function send(
  t: TestCloud,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
) {
  const response = await fetch(t.cloud.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const json = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: json.error?.code, json };
}

describe(`pairing and request signing (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  let creds: TerminalCredentials;
  const events = (id: string) =>
    JSON.stringify({
      events: [
        {
          id,
          type: 'note',
          terminalId: creds.terminalId,
          createdAt: new Date().toISOString(),
          payload: {},
        },
      ],
    });

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal('store-auth');
    creds = terminal.credentials as TerminalCredentials;
  });
  after(() => t.close());

  it('pairs with a code once, normalising how it was typed, and gives the sealing key', async () => {
    const { code } = await t.admin.pairingCode('store-auth', 'till 2');
    const client = new CloudClient({ baseUrl: t.cloud.url });
    const paired = await client.pair(` ${code.toLowerCase().replace('-', ' ')} `);
    assert.equal(paired.storeId, 'store-auth');
    assert.equal(paired.identifyPublicKey, t.cloud.identifyPublicKey);
    assert.match(paired.secret, /^[A-Za-z0-9_-]{43}$/);
    await assert.rejects(new CloudClient({ baseUrl: t.cloud.url }).pair(code), {
      code: 'PAIRING_CODE_INVALID',
    });
    await assert.rejects(new CloudClient({ baseUrl: t.cloud.url }).pair('AAAA-BBBB'), {
      code: 'PAIRING_CODE_INVALID',
    });
  });

  it('accepts a signed request and refuses the same request replayed', async () => {
    const body = events('e-replay');
    const headers = signed(creds, 'POST', '/v1/events', body);
    assert.equal((await send(t, 'POST', '/v1/events', headers, body)).status, 200);
    const again = await send(t, 'POST', '/v1/events', headers, body);
    assert.deepEqual([again.status, again.code], [401, 'REPLAYED']);
  });

  it('refuses a request whose body, path, method or timestamp was altered after signing', async () => {
    const body = events('e-tamper');
    const headers = signed(creds, 'POST', '/v1/events', body);
    const altered = body.replace('e-tamper', 'e-tampeR');
    assert.equal((await send(t, 'POST', '/v1/events', headers, altered)).code, 'SIGNATURE_INVALID');

    const catalog = signed(creds, 'GET', '/v1/catalog?since=0', '');
    assert.equal((await send(t, 'GET', '/v1/catalog?since=5', catalog)).code, 'SIGNATURE_INVALID');
    assert.equal((await send(t, 'POST', '/v1/catalog?since=0', catalog, '')).status, 404);

    const shifted = { ...headers, [SIGNATURE_HEADERS.timestamp]: String(Date.now() + 1000) };
    assert.equal((await send(t, 'POST', '/v1/events', shifted, body)).code, 'SIGNATURE_INVALID');

    const otherTerminal = { ...headers, [SIGNATURE_HEADERS.terminal]: 'trm_someone-else' };
    assert.equal(
      (await send(t, 'POST', '/v1/events', otherTerminal, body)).code,
      'SIGNATURE_INVALID',
    );

    // None of those burned the nonce: the untouched original still goes through.
    assert.equal((await send(t, 'POST', '/v1/events', headers, body)).status, 200);
  });

  it('refuses timestamps outside five minutes, unsigned requests and wrong secrets', async () => {
    const body = events('e-old');
    const stale = signed(creds, 'POST', '/v1/events', body, Date.now() - 6 * 60 * 1000);
    assert.equal(
      (await send(t, 'POST', '/v1/events', stale, body)).code,
      'TIMESTAMP_OUT_OF_WINDOW',
    );
    const future = signed(creds, 'POST', '/v1/events', body, Date.now() + 6 * 60 * 1000);
    assert.equal(
      (await send(t, 'POST', '/v1/events', future, body)).code,
      'TIMESTAMP_OUT_OF_WINDOW',
    );

    const unsigned = await send(
      t,
      'POST',
      '/v1/events',
      { 'content-type': 'application/json' },
      body,
    );
    assert.deepEqual([unsigned.status, unsigned.code], [401, 'UNAUTHENTICATED']);

    const forged = new CloudClient({
      baseUrl: t.cloud.url,
      credentials: { ...creds, secret: Buffer.alloc(32, 7).toString('base64url') },
    });
    await assert.rejects(
      forged.pullCatalog(),
      (e: CloudRequestError) => e.code === 'SIGNATURE_INVALID' && e.status === 401,
    );
  });

  it('guards admin routes with the admin token', async () => {
    const none = await send(
      t,
      'POST',
      '/v1/admin/payers',
      { 'content-type': 'application/json' },
      '{}',
    );
    assert.equal(none.code, 'UNAUTHENTICATED');
    const wrong = await send(t, 'GET', '/v1/admin/reports/daily?date=2026-01-01', {
      authorization: 'Bearer nope',
    });
    assert.deepEqual([wrong.status, wrong.code], [403, 'FORBIDDEN']);
    // A terminal's signature opens terminal routes only.
    const path = '/v1/admin/reports/daily?date=2026-01-01';
    assert.equal(
      (await send(t, 'GET', path, signed(creds, 'GET', path, ''))).code,
      'UNAUTHENTICATED',
    );
  });

  it('lets a terminal read only its own store report', async () => {
    const own = await terminal.storeDailyReport('2026-01-01');
    assert.equal(own.storeId, 'store-auth');
    const path = '/v1/stores/other-store/reports/daily?date=2026-01-01';
    assert.equal((await send(t, 'GET', path, signed(creds, 'GET', path, ''))).code, 'FORBIDDEN');
  });
});
