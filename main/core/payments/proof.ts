/**
 * The proof of an acquirer payment (`PaidTrade`): minted and checked in main/shared/paid-trade.ts,
 * where the ledger can check it too (the ledger may not import main/core). Re-exported here for
 * the payment flows.
 */
export { isPaidTrade, mintPaidTrade, type PaidTrade } from '../../shared/paid-trade';
