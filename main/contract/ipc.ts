/** Electron IPC channel names shared by main/app and the preload (no runtime dependencies). */
export const IPC_INVOKE = 'pos:invoke';
export const IPC_EVENT = 'pos:event';
export const SCREENS = ['cashier', 'customer', 'manager'] as const;
export type Screen = (typeof SCREENS)[number];
