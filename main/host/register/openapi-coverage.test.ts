/**
 * The OpenAPI document against the real server (issue 10): every route the host registers
 * under /v1/register is in the document, with its method; and every answer the server really
 * gives (each operation, its success and its refusals, an events frame) validates against the
 * JSON Schema the document states for that path, method and status. A server change that the
 * contract's schemas do not carry fails here.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import WebSocket from 'ws';
import { REGISTER_API_PREFIX, REGISTER_EVENTS_PATH } from '../../contract';
import { registerOpenApi } from '../../contract/register-openapi';
import { createPosCore, type PosCore } from '../../core';
import { startHost, type RunningHost } from '../server';
import { demoSignIn } from '../test-support/staff';
import { connectWs, type WsContractClient } from '../ws-client';

type Operation = {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
};
const doc = registerOpenApi() as {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');

const dirs: string[] = [];
let core: PosCore;
let host: RunningHost;
let staff: WsContractClient;

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-openapi-'));
  const rendererDir = mkdtempSync(join(tmpdir(), 'pos-openapi-renderer-'));
  dirs.push(dataDir, rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  core = createPosCore({
    dataDir,
    shopName: 'Test',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'en',
  });
  host = await startHost({ core, port: 0, rendererDir });
  staff = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff });
  await staff.invoke('auth.signIn', await demoSignIn(staff, 'cashier'));
  await staff.invoke('shift.open', { floatFen: 0 });
  await staff.invoke('manager.signIn', { pin: '888888' });
});

after(async () => {
  await staff.close();
  await host.close();
  core.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** `/v1/register/orders/:orderNo/pay` → `/v1/register/orders/{orderNo}/pay` */
const openApiPath = (fastifyPath: string) => fastifyPath.replace(/:(\w+)/g, '{$1}');

/**
 * Every (method, path) the host's app serves under the register prefix, from Fastify itself:
 * printRoutes draws a tree ("│   ├── /pay (POST)"), each level 4 characters deeper, each node's
 * segment appended to its parent's path.
 */
function serverRoutes(): Set<string> {
  const tree = host.app.printRoutes({ commonPrefix: false });
  const routes = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?/.exec(line);
    if (m?.[1] === undefined || m[2] === undefined) continue;
    const depth = m[1].length / 4;
    const path = (stack[depth - 1] ?? '') + m[2];
    stack[depth] = path;
    stack.length = depth + 1;
    if (m[3] === undefined || !path.startsWith(`${REGISTER_API_PREFIX}/`)) continue;
    for (const method of m[3].split(',').map((x) => x.trim()))
      if (method !== 'HEAD') routes.add(`${method} ${openApiPath(path)}`);
  }
  return routes;
}

test('every route the server registers under /v1/register is in the document', () => {
  const served = serverRoutes();
  assert.ok(served.size >= 8, `found only ${[...served].join(', ')}`);
  const documented = new Set(
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    ),
  );
  const missing = [...served].filter((r) => !documented.has(r));
  assert.deepEqual(missing, [], 'served but not documented');
  const stale = [...documented].filter((r) => !served.has(r));
  assert.deepEqual(stale, [], 'documented but not served');
});

/** Sends a request and checks the answer against the documented schema for its status. */
async function documented(
  method: 'GET' | 'POST',
  docPath: string,
  url: string,
  options: { token?: string; body?: unknown; expect: number },
): Promise<unknown> {
  const response = await fetch(`${host.url}${url}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  assert.equal(response.status, options.expect, `${method} ${url}: ${text}`);
  const operation = doc.paths[docPath]?.[method.toLowerCase()];
  assert.ok(operation, `${method} ${docPath} is not documented`);
  const answer = operation.responses[String(response.status)];
  assert.ok(answer, `${method} ${docPath} does not document status ${response.status}`);
  if (answer.content === undefined) {
    assert.equal(text, '', `${method} ${url} ${response.status} documents no body`);
    return null;
  }
  const schema = answer.content['application/json']?.schema as { $ref?: string } | undefined;
  const body = JSON.parse(text) as unknown;
  if (schema?.$ref === undefined) return body;
  const validate = ajv.getSchema(`doc${schema.$ref}`);
  assert.ok(validate, schema.$ref);
  assert.ok(
    validate(body),
    `${method} ${url} ${response.status}: ${ajv.errorsText(validate.errors)}`,
  );
  return body;
}

test('the server’s real answers validate against the documented schemas', async () => {
  const P = REGISTER_API_PREFIX;
  const O = `${P}/orders/{orderNo}`;
  const { code } = await staff.invoke('registers.pairingCode', {});
  await documented('POST', `${P}/pair`, `${P}/pair`, {
    body: { code: code === '00000000' ? '11111111' : '00000000', name: 'x' },
    expect: 403,
  });
  const paired = (await documented('POST', `${P}/pair`, `${P}/pair`, {
    body: { code, name: 'OpenAPI' },
    expect: 200,
  })) as { token: string };
  const token = paired.token;

  // 401 with nothing else, on every documented path.
  await documented('GET', `${P}/orders`, `${P}/orders`, { expect: 401 });
  await documented('POST', `${P}/orders`, `${P}/orders`, { body: {}, expect: 401 });

  const frames: unknown[] = [];
  const socket = new WebSocket(`ws://127.0.0.1:${host.port}${REGISTER_EVENTS_PATH}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  socket.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((r, j) => socket.once('open', r).once('error', j));

  const order = {
    orderNo: 'OA-1',
    amountFen: 1800,
    discounts: [{ kind: 'merchant', amountFen: 200 }],
  };
  await documented('POST', `${P}/orders`, `${P}/orders`, { token, body: order, expect: 201 });
  await documented('POST', `${P}/orders`, `${P}/orders`, { token, body: order, expect: 200 });
  await documented('POST', `${P}/orders`, `${P}/orders`, {
    token,
    body: { ...order, amountFen: 1700 },
    expect: 409,
  });
  await documented('POST', `${P}/orders`, `${P}/orders`, {
    token,
    body: { orderNo: 'OA-0', amountFen: 0 },
    expect: 400,
  });
  await documented('GET', O, `${P}/orders/OA-1`, { token, expect: 200 });
  await documented('GET', O, `${P}/orders/OA-1?waitMs=1`, { token, expect: 200 });
  await documented('GET', O, `${P}/orders/NOPE`, { token, expect: 404 });
  await documented('POST', `${O}/pay`, `${P}/orders/OA-1/pay`, {
    token,
    body: { method: 'cash', tenderedFen: 2000 },
    expect: 200,
  });
  const refund = { refundNo: 'OAR-1', reason: 'returned' };
  await documented('POST', `${O}/refunds`, `${P}/orders/OA-1/refunds`, {
    token,
    body: refund,
    expect: 403,
  });
  await documented('POST', `${O}/refunds`, `${P}/orders/OA-1/refunds`, {
    token,
    body: { ...refund, managerPin: '888888' },
    expect: 200,
  });
  await documented('POST', `${O}/cancel`, `${P}/orders/OA-1/cancel`, {
    token,
    body: {},
    expect: 409,
  });
  await documented('POST', `${P}/orders`, `${P}/orders`, {
    token,
    body: { orderNo: 'OA-2', amountFen: 100 },
    expect: 201,
  });
  await documented('POST', `${O}/cancel`, `${P}/orders/OA-2/cancel`, {
    token,
    body: {},
    expect: 200,
  });
  await documented('GET', `${P}/orders`, `${P}/orders`, { token, expect: 200 });
  await documented('GET', `${P}/openapi.json`, `${P}/openapi.json`, { token, expect: 200 });

  // Every events frame is a documented RegisterEvent.
  const validateEvent = ajv.getSchema('doc#/components/schemas/RegisterEvent');
  assert.ok(validateEvent);
  for (let i = 0; i < 100 && frames.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(frames.length >= 4, `only ${frames.length} events`);
  for (const frame of frames) assert.ok(validateEvent(frame), ajv.errorsText(validateEvent.errors));
  socket.close();
});
