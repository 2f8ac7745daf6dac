export * from './ports';
export { PrintService, type PrintServiceOptions } from './service';
export { PoleDisplayService, amountSalesMissing, type StartAmountSale } from './pole-display';
