import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { downloadBlob } from '../../components/download';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import { ACQUIRERS, type AcquirerName, type Reconciliation } from '../../contract';
import type { UiError } from '../../lib/errors';
import { reconciliationCsv } from '../../lib/reconciliationCsv';

/**
 * 对账 / Reconciliation: the chosen day's payments and refunds through one acquirer, the
 * ledger's list set against the acquirer's statement (report.reconcile, which fetches it), with
 * both sides' totals, the lines that need checking, and the whole list as CSV.
 */
export function ReconcilePanel({ businessDate }: { businessDate: string }) {
  const { t } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const selectId = useId();
  const [acquirer, setAcquirer] = useState<AcquirerName>('alipay');
  const [result, setResult] = useState<Reconciliation | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const shown =
    result !== null && result.businessDate === businessDate && result.acquirer === acquirer
      ? result
      : null;

  const run = () => {
    setBusy(true);
    void call('report.reconcile', { businessDate, acquirer })
      .then((r) => {
        if (r.ok) {
          setResult(r.value);
          setError(null);
        } else setError(r.error);
      })
      .finally(() => setBusy(false));
  };

  const download = (r: Reconciliation) => {
    const text = reconciliationCsv(r, {
      title: t('reconcile.title'),
      acquirer: t('reconcile.acquirer'),
      totals: t('reconcile.totals'),
      side: t('reconcile.side'),
      ledger: t('reconcile.ledger'),
      statement: t('reconcile.statement'),
      payments: t('reconcile.payments'),
      paymentsAmount: t('reconcile.paymentsAmount'),
      refunds: t('reconcile.refunds'),
      refundsAmount: t('reconcile.refundsAmount'),
      net: t('reconcile.net'),
      statusColumn: t('reconcile.statusColumn'),
      status: (s) => t(`reconcile.status.${s}`),
      kindColumn: t('reconcile.kindColumn'),
      kind: (k) => t(`reconcile.kind.${k}`),
      outTradeNo: t('reconcile.outTradeNo'),
      acquirerTradeNo: t('reconcile.acquirerTradeNo'),
      refundNo: t('reconcile.refundNo'),
      ledgerAmount: t('reconcile.ledgerAmount'),
      acquirerAmount: t('reconcile.acquirerAmount'),
      time: t('reconcile.time'),
    });
    downloadBlob(
      new Blob([text], { type: 'text/csv;charset=utf-8' }),
      `reconciliation-${r.acquirer}-${r.businessDate}.csv`,
    );
  };

  const open = shown?.lines.filter((l) => l.status !== 'matched') ?? [];
  return (
    <section className="panel" aria-labelledby="reconcile-title" data-testid="reconcile-panel">
      <h2 id="reconcile-title" className="panel__title">
        {t('reconcile.title')}
      </h2>
      <p className="muted">{t('reconcile.intro')}</p>
      <div className="field field--inline">
        <label htmlFor={selectId} className="field-label">
          {t('reconcile.acquirer')}
        </label>
        <select
          id={selectId}
          className="input"
          value={acquirer}
          onChange={(event) => setAcquirer(event.target.value as AcquirerName)}
        >
          {ACQUIRERS.map((a) => (
            <option key={a} value={a}>
              {t(`reconcile.acquirers.${a}`)}
            </option>
          ))}
        </select>
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={run}>
          {busy ? t('reconcile.running') : t('reconcile.run')}
        </button>
        {shown !== null && (
          <button type="button" className="btn btn-secondary" onClick={() => download(shown)}>
            {t('reconcile.download')}
          </button>
        )}
      </div>
      <ErrorMessage error={error} testId="reconcile-error" />
      {shown !== null && (
        <>
          <p
            role="status"
            data-testid="reconcile-summary"
            className={shown.balanced ? '' : 'strong'}
          >
            {shown.balanced
              ? t('reconcile.balanced', { count: shown.lines.length })
              : t('reconcile.unbalanced', { count: open.length, total: shown.lines.length })}
          </p>
          <table className="report-table" aria-label={t('reconcile.totals')}>
            <thead>
              <tr>
                <th scope="col">{t('reconcile.side')}</th>
                <th scope="col" className="num">
                  {t('reconcile.payments')}
                </th>
                <th scope="col" className="num">
                  {t('reconcile.paymentsAmount')}
                </th>
                <th scope="col" className="num">
                  {t('reconcile.refunds')}
                </th>
                <th scope="col" className="num">
                  {t('reconcile.refundsAmount')}
                </th>
                <th scope="col" className="num">
                  {t('reconcile.net')}
                </th>
              </tr>
            </thead>
            <tbody>
              {(
                [
                  ['ledger', shown.ledgerTotals],
                  ['statement', shown.acquirerTotals],
                ] as const
              ).map(([side, s]) => (
                <tr key={side}>
                  <th scope="row">{t(`reconcile.${side}`)}</th>
                  <td className="num">{s.paymentsCount}</td>
                  <td className="num">{money(s.paymentsFen)}</td>
                  <td className="num">{s.refundsCount}</td>
                  <td className="num">{money(s.refundsFen)}</td>
                  <td className="num">{money(s.netFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {open.length > 0 && (
            <table className="report-table" aria-label={t('reconcile.statusColumn')}>
              <thead>
                <tr>
                  <th scope="col">{t('reconcile.statusColumn')}</th>
                  <th scope="col">{t('reconcile.kindColumn')}</th>
                  <th scope="col">{t('reconcile.outTradeNo')}</th>
                  <th scope="col" className="num">
                    {t('reconcile.ledgerAmount')}
                  </th>
                  <th scope="col" className="num">
                    {t('reconcile.acquirerAmount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {open.map((l) => {
                  const either = l.ledger ?? l.acquirer;
                  return (
                    <tr
                      key={`${either?.kind}:${either?.outTradeNo}:${either?.refundNo}`}
                      data-testid="reconcile-line"
                    >
                      <th scope="row">{t(`reconcile.status.${l.status}`)}</th>
                      <td>{either === null ? '' : t(`reconcile.kind.${either.kind}`)}</td>
                      <td>{either?.outTradeNo}</td>
                      <td className="num">{l.ledger === null ? '—' : money(l.ledger.amountFen)}</td>
                      <td className="num">
                        {l.acquirer === null ? '—' : money(l.acquirer.amountFen)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
