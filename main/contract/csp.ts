/**
 * The Content-Security-Policy every page of ours is served with: by the browser host (HTTP
 * header) and by the Electron shell's app:// protocol. One string, so the two cannot drift.
 * (The bundle's index.html carries the same policy in a <meta>, without frame-ancestors, which
 * a <meta> cannot set.)
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
