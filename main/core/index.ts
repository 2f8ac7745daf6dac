export * from './config';
export * from './core';
export * from './logger';
export * from './facepay';
