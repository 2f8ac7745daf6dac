/**
 * Who is asking is settled before the body is read. The attack: the cloud buffered a 44 MiB
 * upload to the photo route before checking for the admin token. Now the answer comes while the
 * upload has barely started, and the connection is closed rather than drained. Also: per-route
 * body limits, and a revoked terminal refused at its very next request.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { CloudClient, TerminalCredentials } from '../client/index';
import { DEFAULT_BODY_LIMIT } from '../server';
import {
  databaseLabel,
  liveEvidence,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
  postSigned,
} from '../test-support';

const MiB = 1024 * 1024;

interface Upload {
  status: number;
  /** Bytes of the body written when the answer arrived. */
  sentWhenAnswered: number;
  /** Bytes the server's socket had read by the time it closed. */
  serverRead: number;
}

/**
 * Announces `declared` bytes of body and sends them 1 MiB at a time, waiting for each to drain,
 * stopping as soon as an answer arrives.
 */
function upload(
  t: TestCloud,
  path: string,
  headers: Record<string, string>,
  declared: number,
): Promise<Upload> {
  const serverSockets: Socket[] = [];
  const track = (socket: Socket) => serverSockets.push(socket);
  t.cloud.app.server.on('connection', track);
  return new Promise<Upload>((resolve, reject) => {
    const socket = connect(t.cloud.port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    let status = 0;
    let sentWhenAnswered = -1;
    const head = [
      `POST ${path} HTTP/1.1`,
      `host: 127.0.0.1:${t.cloud.port}`,
      'content-type: application/json',
      `content-length: ${declared}`,
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n');
    const chunk = Buffer.alloc(MiB, 0x20);
    const pump = () => {
      if (sentWhenAnswered >= 0 || socket.destroyed) return;
      if (sent >= declared) return;
      const n = Math.min(MiB, declared - sent);
      sent += n;
      socket.write(chunk.subarray(0, n), (error) => (error ? undefined : pump()));
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      if (status === 0 && /^HTTP\/1\.1 (\d{3})/.test(answer)) {
        status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
        sentWhenAnswered = sent;
      }
    });
    socket.on('error', () => undefined); // the server closing mid-upload is the point
    socket.on('close', () => {
      t.cloud.app.server.off('connection', track);
      const serverRead = serverSockets.reduce((sum, s) => sum + s.bytesRead, 0);
      if (status === 0) reject(new Error(`no answer: ${answer.slice(0, 200)}`));
      else resolve({ status, sentWhenAnswered, serverRead });
    });
  });
}

describe(`admission before the body (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  let creds: TerminalCredentials;

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal();
    creds = terminal.credentials as TerminalCredentials;
  });
  after(() => t.close());

  it('a 40 MiB upload to the photo route without the admin token: 401 before it is read', async () => {
    const rssBefore = process.memoryUsage().rss;
    const result = await upload(t, '/v1/admin/payers/pyr_x/templates/images', {}, 40 * MiB);
    console.log(
      `40 MiB upload without a token: ${result.status} after ${(result.sentWhenAnswered / MiB).toFixed(1)} MiB sent; the server read ${(result.serverRead / MiB).toFixed(2)} MiB`,
    );
    assert.equal(result.status, 401);
    assert.ok(
      // Written into the socket, which the kernel buffers; what the server read is the proof.
      result.sentWhenAnswered < 40 * MiB,
      `answered after ${result.sentWhenAnswered} bytes`,
    );
    assert.ok(
      result.serverRead < 8 * MiB,
      `the server read ${result.serverRead} bytes, not 40 MiB`,
    );
    const grew = process.memoryUsage().rss - rssBefore;
    assert.ok(grew < 32 * MiB, `RSS grew ${grew} bytes`);
  });

  it('a wrong admin token, or a forged terminal, is refused the same way', async () => {
    const wrong = await upload(
      t,
      '/v1/admin/payers/pyr_x/templates/images',
      { authorization: 'Bearer not-the-token' },
      40 * MiB,
    );
    assert.equal(wrong.status, 403);
    assert.ok(wrong.serverRead < 8 * MiB);
    const forged = await upload(
      t,
      '/v1/events',
      {
        'x-pos-terminal': creds.terminalId,
        'x-pos-timestamp': String(Date.now() - 3_600_000),
        'x-pos-nonce': 'n'.repeat(22),
        'x-pos-signature': 's'.repeat(43),
      },
      40 * MiB,
    );
    assert.equal(forged.status, 401, 'a timestamp out of the window is refused on the headers');
    assert.ok(forged.serverRead < 8 * MiB);
  });

  it('bodies over a route limit are refused with 413, even from the rightful caller', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(DEFAULT_BODY_LIMIT), phone: '13800000000' });
    const admin = await fetch(`${t.cloud.url}/v1/admin/payers`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.cloud.adminToken}`,
        'content-type': 'application/json',
      },
      body: big,
    });
    assert.equal(admin.status, 413);
    const body = JSON.stringify({ padding: 'x'.repeat(DEFAULT_BODY_LIMIT) });
    const signed = await postSigned(t.cloud.url, creds, '/v1/identify', body);
    assert.equal(signed.status, 413);
  });
});

describe(`terminal revocation (${databaseLabel()})`, () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud();
  });
  after(() => t.close());

  it('a revoked terminal is refused at its next request; others carry on', async () => {
    const stolen = await t.pairedTerminal();
    const other = await t.pairedTerminal();
    const face = randomUnit(rng(77));
    const identify = (c: CloudClient) =>
      c.identify({ embedding: face, liveness: liveEvidence(), amountFen: 100 });
    assert.equal((await identify(stolen)).result, 'no_match');
    const id = (stolen.credentials as TerminalCredentials).terminalId;

    const revoked = await t.admin.revokeTerminal(id);
    assert.equal(revoked.terminalId, id);
    assert.ok(revoked.revokedAt !== null);

    await assert.rejects(identify(stolen), { code: 'TERMINAL_REVOKED', status: 401 });
    await assert.rejects(stolen.pullCatalog(), { code: 'TERMINAL_REVOKED' });
    assert.equal((await identify(other)).result, 'no_match');
    const listed = (await t.admin.terminals()).terminals;
    assert.ok(listed.find((x) => x.terminalId === id)?.revokedAt);
    assert.equal(
      listed.find((x) => x.terminalId === (other.credentials as TerminalCredentials).terminalId)
        ?.revokedAt,
      null,
    );
  });

  it('`npm run cloud -- terminals list|revoke ID` works against the running service', async () => {
    const till = await t.pairedTerminal();
    const id = (till.credentials as TerminalCredentials).terminalId;
    const cli = (...args: string[]) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'cloud/cli.ts',
          ...args,
          '--url',
          t.cloud.url,
          '--admin-token',
          t.cloud.adminToken,
        ],
        { cwd: new URL('../..', import.meta.url).pathname },
      );
    const listed = JSON.parse((await cli('terminals', 'list')).stdout) as {
      terminals: { terminalId: string }[];
    };
    assert.ok(listed.terminals.some((x) => x.terminalId === id));
    const revoked = JSON.parse((await cli('terminals', 'revoke', id)).stdout) as {
      revokedAt: string | null;
    };
    assert.ok(revoked.revokedAt);
    await assert.rejects(till.pullCatalog(), { code: 'TERMINAL_REVOKED' });
  });
});
