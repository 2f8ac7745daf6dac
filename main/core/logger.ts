/**
 * The core's logging needs are small; hosts pass their own logger (Fastify's pino, Electron's
 * console). Log lines name channels and error codes, never payloads: a payload may one day
 * carry a face embedding, and logs must never hold one.
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, fields) => console.log(message, fields ?? ''),
  warn: (message, fields) => console.warn(message, fields ?? ''),
  error: (message, fields) => console.error(message, fields ?? ''),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
