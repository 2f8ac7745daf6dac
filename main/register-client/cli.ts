/**
 * `npm run register -- COMMAND …`: the register API from a shell, for trying it, for support and
 * for scripts (it is also the worked example of main/register-client). Money is integer fen, as
 * in the API. What pairing gives (the token, the callback secret) goes into an owner-only file
 * (credentials.ts) and is never printed again unless `token` is asked for.
 *
 * Exit codes: 0 done; 1 refused by the terminal or bad input (the message says which and what
 * to do); 2 usage.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CreateOrderRequest, PayRequest, RefundRequest, RegisterOrder } from '../contract';
import { formatYuan } from '../contract';
import { pair, RegisterApiError, RegisterClient } from './client';
import { credentialsFile, loadCredentials, saveCredentials } from './credentials';
import { openEvents } from './events';

export const USAGE = `npm run register -- COMMAND [options]    (amounts in fen: 1800 = ¥18.00)

  pair    --code 12345678 --name "Front register" [--url http://127.0.0.1:5180] [--fingerprint SHA256]
  order   ORDER_NO --amount-fen N [--line "name,qty,unitPriceFen"]... [--merchant-discount-fen N]
          [--platform-discount-fen N] [--discount-label TEXT] [--callback-url URL]
  pay     ORDER_NO --method cash|card|face|paycode|qr [--amount-fen N] [--tendered-fen N]
          [--reference REF] [--code PAYCODE] [--wait SECONDS]
  query   ORDER_NO [--wait SECONDS]        (long-poll: returns when the order changes)
  cancel  ORDER_NO [--reason TEXT]
  refund  ORDER_NO --refund-no NO --reason TEXT [--amount-fen N | --line lineNo,qty ...] [--manager-pin PIN]
  list    [--date YYYY-MM-DD]
  events                                    (prints each order event as a JSON line)
  token                                     (prints the stored token and callback secret)

  --token-file PATH   where the credentials are kept (env POS_REGISTER_TOKEN_FILE; default
                      under your config directory, owner-only)
  --json              print the terminal's answer as JSON`;

const OPTIONS = {
  'token-file': { type: 'string' },
  url: { type: 'string' },
  fingerprint: { type: 'string' },
  code: { type: 'string' },
  name: { type: 'string' },
  'amount-fen': { type: 'string' },
  'tendered-fen': { type: 'string' },
  line: { type: 'string', multiple: true },
  'merchant-discount-fen': { type: 'string' },
  'platform-discount-fen': { type: 'string' },
  'discount-label': { type: 'string' },
  'callback-url': { type: 'string' },
  method: { type: 'string' },
  reference: { type: 'string' },
  wait: { type: 'string' },
  reason: { type: 'string' },
  'refund-no': { type: 'string' },
  'manager-pin': { type: 'string' },
  date: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

class UsageError extends Error {}

function fen(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`--${option} takes whole fen (1800 = ¥18.00), got "${value}"`);
  return Number(value);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UsageError(`${what} is required`);
  return value;
}

/** One line a person reads: what the order is now. */
export function describeOrder(order: RegisterOrder): string {
  const discounts = order.discounts.map((d) => `${d.kind} −${formatYuan(d.amountFen)}`).join(', ');
  const parts = [
    `${order.orderNo}: ${order.status}`,
    formatYuan(order.amountFen),
    discounts === '' ? null : `(${discounts})`,
    order.paidFen > 0 ? `paid ${formatYuan(order.paidFen)}` : null,
    order.changeFen > 0 ? `change ${formatYuan(order.changeFen)}` : null,
    order.refundedFen > 0 ? `refunded ${formatYuan(order.refundedFen)}` : null,
    order.awaiting === null
      ? null
      : order.awaiting === 'paycode'
        ? `charging payment code ${order.codePayment?.masked ?? ''} (${order.codePayment?.stage ?? ''})`
        : `awaiting ${order.awaiting} on the customer display`,
    // How the last payment code ended, in the acquirer's words when it did not pay.
    order.codePayment === null || order.awaiting === 'paycode' || order.status !== 'open'
      ? null
      : `payment code ${order.codePayment.masked} ${order.codePayment.stage}` +
        (order.codePayment.message === null
          ? ''
          : `: ${order.codePayment.message} (${order.codePayment.code ?? ''})`),
    order.receiptNo === null ? null : `receipt ${order.receiptNo}`,
  ];
  return parts.filter((p) => p !== null).join('  ');
}

/** What to do about a refusal, in the words a person at a register needs. */
export function explain(error: RegisterApiError): string {
  switch (error.code) {
    case 'UNAUTHORIZED':
      return 'The terminal does not accept this register’s token (never paired, or revoked on the manager’s screen). Pair again: npm run register -- pair --code … --name …';
    case 'BUSY':
      return `The terminal is busy: ${error.message}. Wait until the till’s sale (or another register’s order) is finished, then send the order again (same order number).`;
    case 'ORDER_CONFLICT':
      return `Conflict: ${error.message}. That order number was already used for a different order; use a new order number.`;
    case 'APPROVAL_REQUIRED':
      return 'A manager must approve this refund: send the same command again with --manager-pin PIN.';
    case 'UNREACHABLE':
      return `${error.message}. Is the terminal running, and is --url right?`;
    default:
      return `${error.code}: ${error.message}${typeof error.details.field === 'string' ? ` (field ${error.details.field})` : ''}`;
  }
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, orderNo] = positionals;
  if (values.help === true || command === undefined) {
    io.out(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  const file = credentialsFile(values['token-file'], io.env);
  const print = (order: RegisterOrder, raw: unknown = order) =>
    io.out(values.json === true ? JSON.stringify(raw) : describeOrder(order));
  const waitSeconds = values.wait === undefined ? undefined : Number(values.wait);

  try {
    if (waitSeconds !== undefined && !(Number.isInteger(waitSeconds) && waitSeconds >= 0))
      throw new UsageError('--wait takes whole seconds');
    if (command === 'pair') {
      const baseUrl = values.url ?? io.env.POS_REGISTER_URL ?? 'http://127.0.0.1:5180';
      const answer = await pair(
        {
          baseUrl,
          ...(values.fingerprint !== undefined ? { fingerprint: values.fingerprint } : {}),
        },
        required(values.code, '--code (the 8 digits on the manager’s screen)'),
        required(values.name, '--name (what the manager’s screen will call this register)'),
      );
      saveCredentials(file, {
        baseUrl,
        ...(values.fingerprint !== undefined ? { fingerprint: values.fingerprint } : {}),
        registerId: answer.registerId,
        name: answer.registerName,
        token: answer.token,
        callbackSecret: answer.callbackSecret,
        pairedAt: new Date().toISOString(),
      });
      // The token is not printed: it is in the owner-only file, and `token` shows it on demand.
      io.out(
        `Paired as "${answer.registerName}" (${answer.registerId}). Credentials saved to ${file}`,
      );
      return 0;
    }

    const credentials = loadCredentials(file);
    const client = new RegisterClient({
      baseUrl: values.url ?? credentials.baseUrl,
      token: credentials.token,
      ...(credentials.fingerprint !== undefined ? { fingerprint: credentials.fingerprint } : {}),
    });
    const needOrderNo = () => required(orderNo, 'ORDER_NO (the register’s order number)');

    switch (command) {
      case 'token':
        io.out(`token=${credentials.token}`);
        io.out(`callbackSecret=${credentials.callbackSecret}`);
        return 0;
      case 'order': {
        const discounts: NonNullable<CreateOrderRequest['discounts']> = [];
        const label = values['discount-label'];
        const merchant = fen(values['merchant-discount-fen'], 'merchant-discount-fen');
        const platform = fen(values['platform-discount-fen'], 'platform-discount-fen');
        if (merchant !== undefined)
          discounts.push({ kind: 'merchant', amountFen: merchant, ...(label ? { label } : {}) });
        if (platform !== undefined) discounts.push({ kind: 'platform', amountFen: platform });
        const lines = values.line?.map((text) => {
          const [name, qty, unit] = text.split(',').map((s) => s.trim());
          if (!name || !qty || !unit || !/^\d+$/.test(qty) || !/^\d+$/.test(unit))
            throw new UsageError(`--line takes "name,qty,unitPriceFen", got "${text}"`);
          return { name, qty: Number(qty), unitPriceFen: Number(unit) };
        });
        const order = await client.createOrder({
          orderNo: needOrderNo(),
          amountFen: required(fen(values['amount-fen'], 'amount-fen'), '--amount-fen'),
          ...(lines !== undefined ? { lines } : {}),
          ...(discounts.length > 0 ? { discounts } : {}),
          ...(values['callback-url'] !== undefined ? { callbackUrl: values['callback-url'] } : {}),
        });
        print(order);
        return 0;
      }
      case 'pay': {
        const method = required(values.method, '--method');
        const amountFen = fen(values['amount-fen'], 'amount-fen');
        const tenderedFen = fen(values['tendered-fen'], 'tendered-fen');
        const request = {
          method,
          ...(amountFen !== undefined ? { amountFen } : {}),
          ...(tenderedFen !== undefined ? { tenderedFen } : {}),
          ...(values.reference !== undefined ? { reference: values.reference } : {}),
          ...(values.code !== undefined ? { code: values.code } : {}),
        } as PayRequest;
        const answer = await client.pay(needOrderNo(), request);
        if (answer.qrContent !== null) io.out(`QR: ${answer.qrContent}`);
        if (waitSeconds === undefined || answer.order.status !== 'open') {
          print(answer.order, answer);
          // A payment code answers once its charge has ended: still open means it did not pay.
          return method === 'paycode' && answer.order.status === 'open' ? 1 : 0;
        }
        // Until it is paid, or the customer display stops waiting on it (face pay failed or
        // was cancelled: the order stays open for another method).
        const settled = await client.waitFor(
          answer.order.orderNo,
          (o) => o.status !== 'open' || o.awaiting === null,
          waitSeconds * 1000,
        );
        print(settled);
        if (settled.status === 'open' && settled.awaiting !== null)
          io.err(`still waiting on ${settled.awaiting} after ${waitSeconds} s: query it again`);
        else if (settled.status === 'open')
          io.err(
            `${method} payment ended without paying: the order is still open (pay another way)`,
          );
        return settled.status === 'paid' ? 0 : 1;
      }
      case 'query': {
        const order =
          waitSeconds === undefined
            ? await client.query(needOrderNo())
            : await client.poll(needOrderNo(), waitSeconds * 1000);
        print(order);
        return 0;
      }
      case 'cancel':
        print(
          await client.cancel(
            needOrderNo(),
            values.reason !== undefined ? { reason: values.reason } : {},
          ),
        );
        return 0;
      case 'refund': {
        const amountFen = fen(values['amount-fen'], 'amount-fen');
        const lines = values.line?.map((text) => {
          const [lineNo, qty] = text.split(',').map((s) => s.trim());
          if (!lineNo || !qty || !/^\d+$/.test(lineNo) || !/^\d+$/.test(qty))
            throw new UsageError(`refund --line takes "lineNo,qty", got "${text}"`);
          return { lineNo: Number(lineNo), qty: Number(qty) };
        });
        const request: RefundRequest = {
          refundNo: required(values['refund-no'], '--refund-no (the register’s refund number)'),
          reason: required(values.reason, '--reason'),
          ...(amountFen !== undefined ? { amountFen } : {}),
          ...(lines !== undefined ? { lines } : {}),
          ...(values['manager-pin'] !== undefined ? { managerPin: values['manager-pin'] } : {}),
        };
        const answer = await client.refund(needOrderNo(), request);
        if (values.json === true) io.out(JSON.stringify(answer));
        else
          io.out(
            `refund ${answer.refund.refundNo}: ${formatYuan(answer.refund.amountFen)} (${answer.refund.byMethod
              .map((m) => `${m.method} ${formatYuan(m.amountFen)}`)
              .join(', ')})  ${describeOrder(answer.order)}`,
          );
        return 0;
      }
      case 'list': {
        const day = await client.list(values.date);
        if (values.json === true) {
          io.out(JSON.stringify(day));
          return 0;
        }
        io.out(
          `${day.registerName} ${day.businessDate}: ${day.orders.length} order${day.orders.length === 1 ? '' : 's'}`,
        );
        for (const order of day.orders) io.out(`  ${describeOrder(order)}`);
        const t = day.totals;
        io.out(
          `paid ${t.paidCount}: ${formatYuan(t.paidFen)}, refunded ${formatYuan(t.refundedFen)}, net ${formatYuan(t.netFen)}` +
            (t.byMethod.length > 0
              ? ` (${t.byMethod.map((m) => `${m.method} ${formatYuan(m.amountFen)}`).join(', ')})`
              : ''),
        );
        return 0;
      }
      case 'events': {
        const stream = await openEvents(client.connection, {
          onEvent: (event) => io.out(JSON.stringify(event)),
          onError: (error) => io.err(error.message),
        });
        const { code, reason } = await stream.closed;
        io.err(`events closed (${code}${reason === '' ? '' : `: ${reason}`})`);
        return code === 1000 ? 0 : 1;
      }
      default:
        io.err(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof RegisterApiError) {
      io.err(explain(error));
      return 1;
    }
    io.err((error as Error).message);
    return 1;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const code = await runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
  process.exitCode = code;
}
