/**
 * One POST with a deadline, over http (a test gateway on loopback) or https (the acquirer, with
 * the merchant's client certificate where the door asks for one). No retries here: whether to
 * ask again is the payment flow's decision, keyed on out_trade_no.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ClientCertificate {
  certPem: string;
  keyPem: string;
}

export type PostResult =
  { ok: true; status: number; body: string } | { ok: false; reason: 'timeout' | 'network' };

export function postText(
  url: string,
  body: string,
  options: { timeoutMs: number; contentType: string; clientCert?: ClientCertificate },
): Promise<PostResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const request = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': options.contentType, 'content-length': Buffer.byteLength(body) },
        ...(options.clientCert === undefined || target.protocol !== 'https:'
          ? {}
          : { cert: options.clientCert.certPem, key: options.clientCert.keyPem }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            ok: true,
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', () => resolve({ ok: false, reason: 'network' }));
      },
    );
    request.setTimeout(options.timeoutMs, () => {
      request.destroy();
      resolve({ ok: false, reason: 'timeout' });
    });
    request.on('error', () => resolve({ ok: false, reason: 'network' }));
    request.end(body);
  });
}
