/**
 * The terminal's pages come from app://pos/, a scheme of our own, not from file://: a page on
 * file:// may read any file the OS user can (fetch, iframes of other file:// pages), and every
 * file:// page is one origin. app://pos/ serves only the built renderer directory, with the
 * same CSP the browser host sends (main/contract/csp.ts); a path outside it, a dotfile or an
 * unknown file is a 404. Kept free of Electron imports (the handler takes and returns the
 * Fetch API's Request/Response, as protocol.handle does) so it is tested under plain Node.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { CSP, type Screen } from '../contract';

export const APP_SCHEME = 'app';
export const APP_HOST = 'pos';
/** The origin of every page of ours, as Chromium writes it (requestingOrigin, frame.origin). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const RENDERER_INDEX_URL = `${APP_ORIGIN}/index.html`;
/**
 * The hidden capture window's page (main/app/capture.ts): an empty document made here, so that
 * the camera is asked for from our own secure origin (getUserMedia needs a secure context;
 * a data: URL is an opaque origin a permission handler cannot tell from any other).
 */
export const CAPTURE_PAGE_URL = `${APP_ORIGIN}/capture.html`;
const CAPTURE_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>capture</title></head><body></body></html>';

/**
 * How the scheme is registered (before the app is ready): standard, so relative URLs and the
 * web storage the renderer uses work; secure, so the camera may be asked for; V8 code cache
 * for start-up. Not bypassCSP, not corsEnabled, no service workers: nothing beyond what an
 * https page has.
 */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  codeCache: true,
} as const;

export function screenUrl(screen: Screen): string {
  return `${RENDERER_INDEX_URL}?screen=${screen}`;
}

/** Whether a URL (or a serialized origin) is ours: app://pos, no port, no user info. */
export function isAppUrl(text: string | null | undefined): boolean {
  if (!text) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

function headers(type: string): Headers {
  return new Headers({
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
  });
}

function notFound(): Response {
  return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
}

/**
 * The file under rendererDir an app:// URL names, or null: another host, a dotfile (the build
 * stamp), a path that leaves the directory (.., encoded slashes, a symlink out), a NUL.
 */
export async function rendererFileFor(rendererDir: string, url: string): Promise<string | null> {
  if (!isAppUrl(url)) return null;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  if (path.includes('\0') || path.includes('\\')) return null;
  if (path.split('/').some((segment) => segment.startsWith('.'))) return null;
  const root = await realpath(rendererDir).catch(() => null);
  if (root === null) return null;
  const wanted = resolve(root, `.${path}`);
  if (!wanted.startsWith(root + sep)) return null;
  const real = await realpath(wanted).catch(() => null);
  if (real === null || !real.startsWith(root + sep)) return null;
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? real : null;
}

/**
 * protocol.handle's handler for app://: the capture page, the renderer's files with the CSP,
 * else a 404. With rendererDir null (the capture window's session) only the capture page.
 */
export function appProtocolHandler(
  rendererDir: string | null,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('method not allowed', { status: 405, headers: headers('text/plain') });
    }
    if (request.url.split(/[?#]/)[0] === CAPTURE_PAGE_URL) {
      return new Response(CAPTURE_PAGE, {
        status: 200,
        headers: headers('text/html; charset=utf-8'),
      });
    }
    if (rendererDir === null) return notFound();
    const file = await rendererFileFor(rendererDir, request.url);
    if (file === null) return notFound();
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, { status: 200, headers: headers(type) });
  };
}
