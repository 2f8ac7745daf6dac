export * from './ports';
export { PrintService, type PrintServiceOptions } from './service';
