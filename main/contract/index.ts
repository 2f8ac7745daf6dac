export * from './errors';
export * from './money';
export * from './barcode';
export * from './domain';
export * from './channels';
export * from './events';
export * from './wire';
export * from './ipc';
