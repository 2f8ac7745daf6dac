export { Cd5220Decoder } from './cd5220';
export { EpsonDisplayDecoder } from './epson';
export { PoleDecoder, type PoleView } from './decoder';
export { presentedAmount, figuresOf, type PoleAmount } from './amount';
export { POLE_LAMPS, type PoleLamp } from './screen';
export { PoleReader, type SerialLine, type PoleConnection } from './serial-reader';
export {
  PoleDisplayService,
  amountSalesMissing,
  type StartAmountSale,
  type PoleDisplayServiceOptions,
} from './service';
