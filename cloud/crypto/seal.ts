/**
 * Sealing a face embedding to the cloud's public key, so the template is unreadable on the wire,
 * in proxies and in the terminal's logs; only the cloud's private key opens it.
 *
 *   ephemeral X25519 key pair per message (forward secrecy for each request)
 *   shared = X25519(ephemeral private, cloud public)
 *   key    = HKDF-SHA256(shared, salt = ephemeral public || cloud public, info = INFO, 32 bytes)
 *   box    = AES-256-GCM(key, random 96-bit iv, plaintext = 512 float32 little-endian,
 *                        additional data = context)
 *
 * `context` binds the box to its use and sender ("identify:<terminalId>"), so a box captured from
 * one terminal cannot be replayed by another or for another purpose. Uses node:crypto only: the
 * terminal runs this under plain Node.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export interface SealedBox {
  v: 1;
  /** Ephemeral public key, raw 32 bytes, base64url. */
  epk: string;
  iv: string;
  /** Ciphertext followed by the 16-byte GCM tag. */
  ct: string;
}

export const SEAL_ALG = 'X25519-HKDF-SHA256-A256GCM';
const INFO = Buffer.from('facepay/embedding/v1');
const TAG_BYTES = 16;

export function identifyContext(terminalId: string): string {
  return `identify:${terminalId}`;
}
export const ENROL_CONTEXT = 'enrol';

export function publicKeyFromRaw(raw: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw }, format: 'jwk' });
}

export function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an X25519 public key');
  return jwk.x;
}

export function generateSealingKeyPair(): { privateKeyPem: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey: rawPublicKey(publicKey),
  };
}

function deriveKey(shared: Buffer, epk: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), INFO, 32));
}

export function encodeEmbedding(values: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeFloatLE(values[i] as number, i * 4);
  return out;
}

export function decodeEmbedding(bytes: Uint8Array): Float32Array {
  if (bytes.length % 4 !== 0) throw new Error('embedding bytes are not whole float32s');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

export function sealEmbedding(
  embedding: ArrayLike<number>,
  recipientPublicKey: string,
  context: string,
): SealedBox {
  const recipient = publicKeyFromRaw(recipientPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const epk = Buffer.from(rawPublicKey(ephemeral.publicKey), 'base64url');
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = deriveKey(shared, epk, Buffer.from(recipientPublicKey, 'base64url'));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([
    cipher.update(encodeEmbedding(embedding)),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    v: 1,
    epk: epk.toString('base64url'),
    iv: iv.toString('base64url'),
    ct: ct.toString('base64url'),
  };
}

/** The cloud's side. Throws on any tampering, wrong key or wrong context (GCM authenticates all). */
export class SealOpener {
  private readonly privateKey: KeyObject;
  private readonly publicKeyBytes: Buffer;

  constructor(
    privateKeyPem: string,
    readonly publicKey: string,
  ) {
    this.privateKey = createPrivateKey(privateKeyPem);
    this.publicKeyBytes = Buffer.from(publicKey, 'base64url');
  }

  open(box: SealedBox, context: string): Float32Array {
    const epk = Buffer.from(box.epk, 'base64url');
    const ct = Buffer.from(box.ct, 'base64url');
    if (epk.length !== 32 || ct.length <= TAG_BYTES) throw new Error('malformed sealed box');
    const shared = diffieHellman({
      privateKey: this.privateKey,
      publicKey: publicKeyFromRaw(box.epk),
    });
    const key = deriveKey(shared, epk, this.publicKeyBytes);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(box.iv, 'base64url'));
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(ct.subarray(0, ct.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return decodeEmbedding(plain);
  }
}
