export * from './config';
export * from './core';
export * from './access';
export type { TerminalShell } from './handlers';
export { ManagerSessions } from './manager-sessions';
export * from './logger';
export * from './payments/face';
export { DisplayRegistry, MAX_WRONG_TRIES, PAIRING_CODE_MS } from './displays';
export { RegisterService, type RegisterQr, type RegisterEventListener } from './registers';
