/**
 * What the face-pay suites share: a browser whose fake camera plays one of the shared clips, the
 * enrolment embeddings of the clip's person, the reference cloud the host started beside itself
 * (its admin client), the host's own terminal credentials (to sign requests as the till does),
 * ringing up a sale, and the payments in the ledger file.
 */
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { signRequest } from '../cloud/auth/signing';
import { AdminClient } from '../cloud/client/admin';
import { CloudClient, type TerminalCredentials } from '../cloud/client';
import { storedLink } from '../main/core/cloud-link';
import { FACES } from '../main/face/test-faces';
import { FileSecretStore, secretsDirFor } from '../main/shared/secret-store';
import { CHROMIUM } from '../playwright.config';
import { expect, type Host } from './fixtures';
import { demoProduct, scan, startTill, yuan } from './pos';

const root = resolve(import.meta.dirname, '..');
const CAMERA_DIR = join(FACES.dir, 'camera');
const STANDARD_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Skips a face-pay spec, with the reason, where the shared face set is missing. */
export function skipWithoutFaces(test: { skip(condition: boolean, description: string): void }) {
  test.skip(FACES.skip !== false, FACES.skip || '');
}

export function withCamera(clip: string) {
  return {
    launchOptions: {
      executablePath: CHROMIUM,
      args: [
        ...STANDARD_ARGS,
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${join(CAMERA_DIR, clip)}`,
      ],
    },
    // Failure screenshots and traces would hold camera frames: none in this suite.
    screenshot: 'off' as const,
    trace: 'off' as const,
    video: 'off' as const,
  };
}

let templates: number[][] = [];

export function enrolmentTemplates(): number[][] {
  if (templates.length === 0) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'e2e/facepay-embeddings.ts')],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    templates = JSON.parse(out.toString('utf8')) as number[][];
  }
  return templates;
}

/** The reference cloud the host started beside itself: its address and admin client. */
export async function localCloud(host: Host): Promise<AdminClient> {
  let url: string | undefined;
  await expect
    .poll(
      () => {
        url = /cloud:\s+(http:\/\/\S+)/.exec(host.output())?.[1];
        return url ?? null;
      },
      { timeout: 60_000, message: 'the host links its cloud' },
    )
    .not.toBeNull();
  const token = readFileSync(join(host.dataDir, 'cloud', 'admin-token'), 'utf8').trim();
  return new AdminClient(url as string, token);
}

/** The credentials the host's terminal was given when it paired (from its secret store). */
export function terminalCredentials(host: Host): TerminalCredentials & { baseUrl: string } {
  const stored = storedLink(new FileSecretStore(secretsDirFor(host.dataDir)));
  if (stored === null) throw new Error(`the host at ${host.dataDir} holds no cloud credentials`);
  return stored;
}

/** A terminal client for the host's cloud, signing with the host's own credentials. */
export function terminalClient(host: Host): CloudClient {
  const { baseUrl, ...credentials } = terminalCredentials(host);
  return new CloudClient({ baseUrl, credentials });
}

export interface SignedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

/** A POST signed as the host's terminal signs it: its headers and body, ready to send (again). */
export function signAsTerminal(host: Host, path: string, payload: unknown): SignedRequest {
  const creds = terminalCredentials(host);
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    ...signRequest({
      terminalId: creds.terminalId,
      secret: Buffer.from(creds.secret, 'base64url'),
      method: 'POST',
      pathAndQuery: path,
      body,
    }),
  };
  return { url: `${creds.baseUrl.replace(/\/+$/, '')}${path}`, method: 'POST', headers, body };
}

/** Sends a signed request as given (or with another body); the status and the cloud's code. */
export async function send(request: SignedRequest, body = request.body) {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body,
  });
  const json = (await response.json()) as { error?: { code: string }; paymentId?: string };
  return { status: response.status, code: json.error?.code ?? null, paymentId: json.paymentId };
}

export async function enrol(admin: AdminClient, name: string, phone: string, balanceFen: number) {
  const payer = await admin.createPayer({ name, phone, balanceFen });
  await admin.enrol(payer.payerId, enrolmentTemplates(), {
    source: 'vectors',
    consent: { textVersion: 'face-pay-consent-v1', recordedBy: 'e2e' },
  });
  return payer.payerId;
}

/** Cashier signed in with a shift, customer display open, two products rung up. */
export async function ringUp(page: Page, customer: Page, host: Host): Promise<number> {
  await customer.goto(host.screen('/customer'));
  await startTill(page, host);
  const [a, b] = [demoProduct(3), demoProduct(42)];
  await scan(page, a.barcode);
  await scan(page, b.barcode);
  const total = a.priceFen + b.priceFen;
  await expect(page.getByTestId('cart-total')).toContainText(yuan(total));
  await expect(customer.getByTestId('customer-total')).toContainText(yuan(total));
  return total;
}

export function facePayments(host: Host) {
  const db = new Database(join(host.dataDir, 'ledger.db'), { readonly: true });
  try {
    return db
      .prepare(
        `SELECT p.method, p.amount_fen, p.reference, s.status, s.id AS sale_id FROM payments p
         JOIN sales s ON s.id = p.sale_id`,
      )
      .all() as {
      method: string;
      amount_fen: number;
      reference: string;
      status: string;
      sale_id: string;
    }[];
  } finally {
    db.close();
  }
}
