/**
 * The register API's OpenAPI 3.1 document, generated from the contract's zod schemas
 * (register.ts) with zod 4's z.toJSONSchema, so the document cannot drift from what the server
 * validates: a field added to a schema appears here without anyone editing this file. Served
 * at REGISTER_OPENAPI_PATH; `registerOpenApi()` is pure (no I/O) and cheap enough to call per
 * request, but the host may cache it.
 *
 * JSON Schema 2020-12 is OpenAPI 3.1's own dialect, so the schemas go in unchanged. Requests
 * are described as the server accepts them (io: 'input': optional fields with defaults stay
 * optional), answers as it sends them (io: 'output').
 */
import { z } from 'zod';
import {
  CALLBACK_EVENT_ID_HEADER,
  CALLBACK_RETRY_DELAYS_S,
  CALLBACK_SIGNATURE_HEADER,
  CALLBACK_TOLERANCE_S,
  MAX_WAIT_MS,
  REGISTER_API_PREFIX,
  REGISTER_EVENTS_PATH,
  REGISTER_OPENAPI_PATH,
  REGISTER_ORDERS_PATH,
  REGISTER_PAIR_PATH,
  REGISTER_WS_PROTOCOL,
  REGISTER_WS_TOKEN_PREFIX,
  cancelRequest,
  createOrderRequest,
  dayList,
  pairRequest,
  pairResponse,
  payRequest,
  payResponse,
  refundRequest,
  refundResponse,
  registerErrorBody,
  registerEvent,
  registerOrder,
} from './register';

/** Every schema the document names, under components.schemas. */
const SCHEMAS = {
  PairRequest: { schema: pairRequest, io: 'input' },
  PairResponse: { schema: pairResponse, io: 'output' },
  CreateOrderRequest: { schema: createOrderRequest, io: 'input' },
  RegisterOrder: { schema: registerOrder, io: 'output' },
  PayRequest: { schema: payRequest, io: 'input' },
  PayResponse: { schema: payResponse, io: 'output' },
  CancelRequest: { schema: cancelRequest, io: 'input' },
  RefundRequest: { schema: refundRequest, io: 'input' },
  RefundResponse: { schema: refundResponse, io: 'output' },
  DayList: { schema: dayList, io: 'output' },
  RegisterEvent: { schema: registerEvent, io: 'output' },
  Error: { schema: registerErrorBody, io: 'output' },
} as const satisfies Record<string, { schema: z.ZodType; io: 'input' | 'output' }>;

export type RegisterSchemaName = keyof typeof SCHEMAS;

/** The zod schema behind a component name (the test validates real answers against both). */
export function registerSchemaFor(name: RegisterSchemaName): z.ZodType {
  return SCHEMAS[name].schema;
}

const ref = (name: RegisterSchemaName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: RegisterSchemaName) => ({ 'application/json': { schema: ref(name) } });

function errorResponse(description: string) {
  return { description, content: json('Error') };
}

const UNAUTHORIZED = {
  description:
    'No valid bearer token (missing, unknown, revoked). The body is empty: nothing is said about the path or the order.',
};

/** The answers every authenticated operation may give besides its own. */
function responses(
  ok: { status: string; description: string; schema: RegisterSchemaName },
  errors: Record<string, string>,
) {
  return {
    [ok.status]: { description: ok.description, content: json(ok.schema) },
    '400': errorResponse('VALIDATION or AMOUNT_OUT_OF_RANGE, with the field and the figures.'),
    '401': UNAUTHORIZED,
    ...Object.fromEntries(
      Object.entries(errors).map(([status, text]) => [
        status,
        status.startsWith('2')
          ? { description: text, content: json(ok.schema) }
          : errorResponse(text),
      ]),
    ),
  };
}

const orderNoParam = {
  name: 'orderNo',
  in: 'path',
  required: true,
  description: "The register's own order number (its idempotency key).",
  schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$' },
};

const SIGNATURE_DESCRIPTION =
  `Every callback is signed: \`X-Pos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(callbackSecret, t + "." + rawBody)>\`. ` +
  `Verify over the raw body bytes, compare in constant time, refuse a t more than ${CALLBACK_TOLERANCE_S} s from your clock, ` +
  `and drop an event id you have already handled (\`X-Pos-Event-Id\`, also the body's \`id\`): a failed delivery is retried ` +
  `after ${CALLBACK_RETRY_DELAYS_S.join(', ')} s with the same id. Answer 2xx to acknowledge. ` +
  'The TypeScript client has verifyCallback(secret, header, body).';

const callbackOperation = {
  post: {
    summary: 'An order event, POSTed to the order’s callbackUrl',
    description: SIGNATURE_DESCRIPTION,
    parameters: [
      {
        name: CALLBACK_SIGNATURE_HEADER,
        in: 'header',
        required: true,
        schema: { type: 'string', pattern: '^t=\\d+(,v1=[0-9a-f]{64})+$' },
      },
      { name: CALLBACK_EVENT_ID_HEADER, in: 'header', required: true, schema: { type: 'string' } },
    ],
    requestBody: { required: true, content: json('RegisterEvent') },
    responses: { '2XX': { description: 'Acknowledged; anything else is retried.' } },
  },
};

function componentSchemas(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, { schema, io }]) => {
      const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
        target: 'draft-2020-12',
        io,
        unrepresentable: 'any',
      }) as Record<string, unknown>;
      return [name, rest];
    }),
  );
}

/** The OpenAPI 3.1 document of /v1/register. */
export function registerOpenApi(): Record<string, unknown> {
  const orderPath = `${REGISTER_ORDERS_PATH}/{orderNo}`;
  return {
    openapi: '3.1.0',
    info: {
      title: 'FacePay POS register API',
      version: '1',
      description:
        'A shop register sends orders by amount to the terminal, which takes payment on its customer display. ' +
        `Loopback only unless the terminal runs with --remote-registers (HTTPS, self-signed: pin the fingerprint the manager's screen shows). ` +
        'Versioned by path: a breaking change is a new path. Money is integer fen. Errors are { error: { code, message, field? } }.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://127.0.0.1:5180', description: 'This machine (the default port)' }],
    security: [{ bearer: [] }],
    tags: [{ name: 'pairing' }, { name: 'orders' }, { name: 'events' }],
    paths: {
      [REGISTER_PAIR_PATH]: {
        post: {
          tags: ['pairing'],
          operationId: 'pair',
          summary: 'Exchange the one-time code from the manager’s screen for a token',
          description:
            'The code has 8 digits, is valid 10 minutes, works once and is burnt by repeated wrong tries. ' +
            'The token and the callback secret are shown only in this answer: store them owner-only.',
          security: [],
          requestBody: { required: true, content: json('PairRequest') },
          responses: {
            '200': { description: 'Paired', content: json('PairResponse') },
            '400': errorResponse('VALIDATION'),
            '403': errorResponse(
              'FORBIDDEN: the code is wrong, used or expired (wrong tries burn it).',
            ),
          },
        },
      },
      [REGISTER_ORDERS_PATH]: {
        post: {
          tags: ['orders'],
          operationId: 'createOrder',
          summary: 'Create an order (idempotent by orderNo)',
          description:
            'The customer display shows the amount, the discounts and the pay choices at once. ' +
            'With lines, amountFen must equal sum(qty × unitPriceFen) − sum(discounts). ' +
            'The same orderNo with the same content returns the same order; with other content: 409 ORDER_CONFLICT naming what differs. ' +
            'While the till (or another register) has a sale on the customer display: 409 BUSY.',
          requestBody: { required: true, content: json('CreateOrderRequest') },
          responses: responses(
            {
              status: '201',
              description: 'The order, created',
              schema: 'RegisterOrder',
            },
            {
              '200': 'The same order again (same orderNo, same content): nothing new was made.',
              '409':
                'ORDER_CONFLICT (same orderNo, other content) or BUSY (the customer display is taken).',
            },
          ),
          callbacks: { orderEvent: { '{$request.body#/callbackUrl}': callbackOperation } },
        },
        get: {
          tags: ['orders'],
          operationId: 'listDay',
          summary: 'This register’s orders of a business day, with totals (reconciliation)',
          parameters: [
            {
              name: 'date',
              in: 'query',
              required: false,
              description: 'YYYY-MM-DD; default the current business day.',
              schema: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            },
          ],
          responses: responses({ status: '200', description: 'The day', schema: 'DayList' }, {}),
        },
      },
      [orderPath]: {
        get: {
          tags: ['orders'],
          operationId: 'getOrder',
          summary: 'Query an order; with waitMs, long-poll until it changes',
          parameters: [
            orderNoParam,
            {
              name: 'waitMs',
              in: 'query',
              required: false,
              description: `Wait up to this long (≤ ${MAX_WAIT_MS}) for the order's version to differ from \`version\`.`,
              schema: { type: 'integer', minimum: 0, maximum: MAX_WAIT_MS },
            },
            {
              name: 'version',
              in: 'query',
              required: false,
              description: 'The version the register already has (default: the current one).',
              schema: { type: 'integer', minimum: 0 },
            },
          ],
          responses: responses(
            {
              status: '200',
              description: 'The order (changed, or as it is at the wait limit)',
              schema: 'RegisterOrder',
            },
            { '404': 'NOT_FOUND: no such order from this register.' },
          ),
        },
      },
      [`${orderPath}/pay`]: {
        post: {
          tags: ['orders'],
          operationId: 'pay',
          summary:
            'Pay: cash/card recorded at the register, or face / payment code / QR on the terminal',
          description:
            'cash and card complete at once. face offers face pay on the customer display; the result arrives as an event, by long-poll or by callback.',
          parameters: [orderNoParam],
          requestBody: { required: true, content: json('PayRequest') },
          responses: responses(
            {
              status: '200',
              description: 'The order after the payment (or with face pay under way)',
              schema: 'PayResponse',
            },
            {
              '404': 'NOT_FOUND',
              '409': 'SALE_NOT_OPEN, OVERPAYMENT, BUSY',
              '501': 'NOT_SUPPORTED: this method is not available on this terminal.',
            },
          ),
        },
      },
      [`${orderPath}/cancel`]: {
        post: {
          tags: ['orders'],
          operationId: 'cancel',
          summary: 'Cancel an order that has no payment',
          parameters: [orderNoParam],
          requestBody: { required: false, content: json('CancelRequest') },
          responses: responses(
            { status: '200', description: 'The cancelled order', schema: 'RegisterOrder' },
            { '404': 'NOT_FOUND', '409': 'SALE_HAS_PAYMENTS or SALE_NOT_OPEN' },
          ),
        },
      },
      [`${orderPath}/refunds`]: {
        post: {
          tags: ['orders'],
          operationId: 'refund',
          summary: 'Refund a paid order: in full, by amount or by lines (idempotent by refundNo)',
          description:
            "The till's approval policy applies: 403 APPROVAL_REQUIRED means send the same request again with managerPin.",
          parameters: [orderNoParam],
          requestBody: { required: true, content: json('RefundRequest') },
          responses: responses(
            {
              status: '200',
              description: 'The refund and the order after it',
              schema: 'RefundResponse',
            },
            {
              '403': 'APPROVAL_REQUIRED, PIN_WRONG',
              '404': 'NOT_FOUND',
              '409': 'REFUND_EXCEEDS_PAID, ORDER_CONFLICT (same refundNo, other content)',
              '429': 'PIN_LOCKED',
            },
          ),
        },
      },
      [REGISTER_EVENTS_PATH]: {
        get: {
          tags: ['events'],
          operationId: 'events',
          summary: 'WebSocket: this register’s order events, one JSON RegisterEvent per text frame',
          description:
            'Upgrade with `Authorization: Bearer <token>`; a browser, which cannot set headers, offers the subprotocols ' +
            `\`${REGISTER_WS_PROTOCOL}\` and \`${REGISTER_WS_TOKEN_PREFIX}<token>\`. The token is checked before the upgrade. ` +
            'Each frame validates against #/components/schemas/RegisterEvent.',
          responses: {
            '101': {
              description: 'Switching protocols; frames are RegisterEvent',
              content: json('RegisterEvent'),
            },
            '401': UNAUTHORIZED,
          },
        },
      },
      [REGISTER_OPENAPI_PATH]: {
        get: {
          tags: ['pairing'],
          operationId: 'openapi',
          summary: 'This document',
          responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
        },
      },
    },
    webhooks: { orderEvent: callbackOperation },
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `The token from POST ${REGISTER_PAIR_PATH}. Every request under ${REGISTER_API_PREFIX} but pairing needs it.`,
        },
      },
    },
  };
}
