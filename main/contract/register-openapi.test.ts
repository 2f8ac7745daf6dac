/**
 * The generated OpenAPI document is usable as a document: every reference resolves, every
 * component is a JSON Schema 2020-12 that a standard validator compiles, and the JSON Schema
 * and the zod schema it came from agree on real payloads (the same accepted, the same refused).
 * That the document covers every route the server registers, and that the server's real
 * answers validate against it, is main/host/register/openapi.test.ts (through the real host).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020';
import { registerOpenApi, registerSchemaFor, type RegisterSchemaName } from './register-openapi';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  webhooks: Record<string, unknown>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  security: unknown[];
};

const doc = registerOpenApi() as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc');
const validator = (name: string) => {
  const v = ajv.getSchema(`doc#/components/schemas/${name}`);
  assert.ok(v, `no component ${name}`);
  return v;
};

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refsIn(n, out));
  else if (typeof node === 'object' && node !== null)
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refsIn(v, out);
    }
  return out;
}

describe('the register OpenAPI document', () => {
  test('is OpenAPI 3.1 with the bearer scheme required by default and pairing exempt', () => {
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    assert.deepEqual(doc.components.securitySchemes.bearer, {
      ...(doc.components.securitySchemes.bearer as object),
      type: 'http',
      scheme: 'bearer',
    });
    assert.deepEqual(doc.paths['/v1/register/pair']?.post?.security, []);
  });

  test('every $ref resolves to a component', () => {
    const refs = refsIn({ paths: doc.paths, webhooks: doc.webhooks });
    assert.ok(refs.length > 10);
    for (const ref of refs) {
      const name = ref.replace('#/components/schemas/', '');
      assert.ok(name in doc.components.schemas, `${ref} resolves to nothing`);
    }
  });

  test('every operation has an id, responses, and its path parameters declared', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        assert.ok(typeof op.operationId === 'string', `${method} ${path}`);
        assert.ok(!ids.has(op.operationId as string), `duplicate ${String(op.operationId)}`);
        ids.add(op.operationId as string);
        assert.ok(op.responses, `${method} ${path} has no responses`);
        const declared = ((op.parameters ?? []) as { name: string; in: string }[])
          .filter((p) => p.in === 'path')
          .map((p) => p.name);
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        assert.deepEqual(declared.sort(), inPath.sort(), `${method} ${path}`);
      }
    }
  });

  test('the callback is described: signature header, event body, as a webhook and on createOrder', () => {
    const text = JSON.stringify(doc.webhooks);
    assert.match(text, /x-pos-signature/);
    assert.match(text, /HMAC-SHA256/);
    assert.match(text, /RegisterEvent/);
    const create = doc.paths['/v1/register/orders']?.post as { callbacks?: unknown };
    assert.match(JSON.stringify(create.callbacks), /\{\$request\.body#\/callbackUrl\}/);
  });

  test('every component compiles as JSON Schema 2020-12', () => {
    for (const name of Object.keys(doc.components.schemas)) validator(name);
  });

  // The JSON Schema and its zod source must agree, both ways, on payloads near the edges.
  const cases: { name: RegisterSchemaName; value: unknown; valid: boolean }[] = [
    { name: 'PairRequest', value: { code: '12345678', name: 'Front' }, valid: true },
    { name: 'PairRequest', value: { code: '1234', name: 'Front' }, valid: false },
    { name: 'PairRequest', value: { code: '12345678', name: 'F', extra: 1 }, valid: false },
    {
      name: 'CreateOrderRequest',
      value: {
        orderNo: 'R-1001',
        amountFen: 1800,
        lines: [{ name: '咖啡', qty: 2, unitPriceFen: 1000 }],
        discounts: [{ kind: 'merchant', amountFen: 200, label: '会员价' }],
        callbackUrl: 'https://register.example/hook',
      },
      valid: true,
    },
    { name: 'CreateOrderRequest', value: { orderNo: 'R-1', amountFen: 0 }, valid: false },
    { name: 'CreateOrderRequest', value: { orderNo: 'R-1', amountFen: -5 }, valid: false },
    { name: 'CreateOrderRequest', value: { orderNo: 'R-1', amountFen: 12.5 }, valid: false },
    { name: 'CreateOrderRequest', value: { orderNo: 'R-1', amountFen: 100_000_001 }, valid: false },
    { name: 'CreateOrderRequest', value: { orderNo: '../x', amountFen: 100 }, valid: false },
    {
      name: 'CreateOrderRequest',
      value: { orderNo: 'R-1', amountFen: 100, discounts: [{ kind: 'coupon', amountFen: 1 }] },
      valid: false,
    },
    { name: 'PayRequest', value: { method: 'cash', tenderedFen: 2000 }, valid: true },
    { name: 'PayRequest', value: { method: 'face' }, valid: true },
    { name: 'PayRequest', value: { method: 'face', amountFen: 5 }, valid: false },
    { name: 'PayRequest', value: { method: 'paycode', code: '28' }, valid: false },
    { name: 'PayRequest', value: { method: 'bitcoin' }, valid: false },
    { name: 'RefundRequest', value: { refundNo: 'F-1', reason: 'returned' }, valid: true },
    {
      name: 'RefundRequest',
      value: { refundNo: 'F-1', reason: 'returned', lines: [{ lineNo: 1, qty: 1 }] },
      valid: true,
    },
    { name: 'RefundRequest', value: { refundNo: 'F-1' }, valid: false },
    { name: 'CancelRequest', value: {}, valid: true },
  ];
  for (const { name, value, valid } of cases) {
    test(`${name} ${valid ? 'accepts' : 'refuses'} ${JSON.stringify(value)} (zod and JSON Schema)`, () => {
      assert.equal(registerSchemaFor(name).safeParse(value).success, valid, 'zod');
      const v = validator(name);
      assert.equal(v(value), valid, `JSON Schema: ${JSON.stringify(v.errors)}`);
    });
  }
});
