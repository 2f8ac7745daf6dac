import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import { METHOD_SETTLED_BY, type DailyReport, type Shift } from '../../contract';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatBp, formatTime } from '../../lib/time';

export function KpiCards({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const totals = report.totals;
  const cards = [
    {
      key: 'gross',
      label: t('manager.gross'),
      value: money(totals.grossFen),
      testId: 'report-gross',
    },
    {
      key: 'refunds',
      label: t('manager.refunds'),
      value: money(totals.refundsFen),
      testId: 'report-refunds',
    },
    { key: 'net', label: t('manager.net'), value: money(totals.netFen), testId: 'report-net' },
    {
      key: 'count',
      label: t('manager.salesCount'),
      value: String(totals.salesCount),
      testId: 'report-sales-count',
    },
    {
      key: 'avg',
      label: t('manager.averageTicket'),
      value: money(totals.averageTicketFen),
      testId: 'report-average',
    },
    {
      key: 'face',
      label: t('manager.faceShare'),
      value: formatBp(totals.facePayShareBp, i18n.language),
      testId: 'report-face-share',
    },
  ];
  return (
    <section className="kpis" aria-label={t('manager.totals')}>
      {cards.map((c) => (
        <div key={c.key} className={`kpi ${c.key === 'net' ? 'kpi--strong' : ''}`}>
          <span className="kpi__label">{c.label}</span>
          <span className="kpi__value" data-testid={c.testId}>
            {c.value}
          </span>
        </div>
      ))}
      <p className="kpis__note muted">
        {t('manager.discountsAndTax', {
          discounts: money(totals.discountFen),
          tax: money(totals.taxFen),
        })}
      </p>
    </section>
  );
}

export function TopItemsTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const name = useLocalName();
  return (
    <table className="report-table" aria-label={t('manager.topItems')}>
      <caption>{t('manager.topItems')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.item')}</th>
          <th scope="col" className="num">
            {t('manager.qty')}
          </th>
          <th scope="col" className="num">
            {t('manager.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {report.topItems.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              {t('manager.noData')}
            </td>
          </tr>
        )}
        {report.topItems.map((item) => (
          <tr key={item.sku}>
            <th scope="row">{name(item)}</th>
            <td className="num">{item.qty}</td>
            <td className="num">{money(item.netFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RefundsTable({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const timeZone = useAppSelector(selectTimezone);
  return (
    <table className="report-table" aria-label={t('manager.refundsList')}>
      <caption>{t('manager.refundsList')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.receipt')}</th>
          <th scope="col">{t('manager.time')}</th>
          <th scope="col">{t('manager.reason')}</th>
          <th scope="col" className="num">
            {t('manager.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {report.refunds.length === 0 && (
          <tr>
            <td colSpan={4} className="muted">
              {t('manager.noRefunds')}
            </td>
          </tr>
        )}
        {report.refunds.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.receiptNo ?? '—'}</th>
            <td>{formatTime(r.createdAt, i18n.language, timeZone)}</td>
            <td>{r.reason}</td>
            <td className="num">{money(r.amountFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ShiftsTable({ shifts }: { shifts: readonly Shift[] }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const timeZone = useAppSelector(selectTimezone);
  return (
    <table className="report-table" aria-label={t('manager.shifts')}>
      <caption>{t('manager.shifts')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.opened')}</th>
          <th scope="col">{t('manager.openedBy')}</th>
          <th scope="col">{t('manager.closed')}</th>
          <th scope="col">{t('manager.closedBy')}</th>
          <th scope="col" className="num">
            {t('shift.expected')}
          </th>
          <th scope="col" className="num">
            {t('shift.countedShort')}
          </th>
          <th scope="col" className="num">
            {t('shift.variance')}
          </th>
        </tr>
      </thead>
      <tbody>
        {shifts.length === 0 && (
          <tr>
            <td colSpan={7} className="muted">
              {t('manager.noShifts')}
            </td>
          </tr>
        )}
        {shifts.map((s) => (
          <tr key={s.id}>
            <th scope="row">{formatTime(s.openedAt, i18n.language, timeZone)}</th>
            <td data-testid="shift-opened-by">{s.openedBy?.name ?? t('manager.unknownPerson')}</td>
            <td>
              {s.closedAt === null
                ? t('manager.stillOpen')
                : formatTime(s.closedAt, i18n.language, timeZone)}
            </td>
            <td>{s.closedBy?.name ?? t('manager.unknownPerson')}</td>
            <td className="num">{money(s.expectedCashFen)}</td>
            <td className="num">{s.countedCashFen === null ? '—' : money(s.countedCashFen)}</td>
            <td
              className={`num ${s.varianceFen !== null && s.varianceFen !== 0 ? 'strong variance--short' : ''}`}
              data-testid="shift-variance-cell"
            >
              {s.varianceFen === null ? '—' : money(s.varianceFen)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The day per shop register (the register API's orders, part of the figures above): what each
 * register's orders took, gave back and by which methods, to reconcile with the register's own
 * day list. Shown only on a day registers traded.
 */
export function RegistersTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const registers = report.totals.byRegister ?? [];
  if (registers.length === 0) return null;
  return (
    <table
      className="report-table"
      aria-label={t('manager.byRegister')}
      data-testid="report-registers"
    >
      <caption>{t('manager.byRegister')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('registers.name')}</th>
          <th scope="col" className="num">
            {t('manager.salesCount')}
          </th>
          <th scope="col" className="num">
            {t('manager.gross')}
          </th>
          <th scope="col" className="num">
            {t('manager.refunds')}
          </th>
          <th scope="col" className="num">
            {t('manager.net')}
          </th>
          <th scope="col">{t('manager.byMethod')}</th>
        </tr>
      </thead>
      <tbody>
        {registers.map((r) => (
          <tr key={r.registerId}>
            <th scope="row">{r.registerName}</th>
            <td className="num">{r.salesCount}</td>
            <td className="num">{money(r.salesFen)}</td>
            <td className="num">{money(r.refundsFen)}</td>
            <td className="num">{money(r.netFen)}</td>
            <td>
              {r.byMethod
                .map((m) => `${t(`methods.${m.method}`)} ${money(m.amountFen)}`)
                .join(' · ')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The payment mix by channel: per method, who settles it (the till's own records, an acquirer,
 * the face-pay cloud), payments taken, paid, refunds back to it and the net. The nets add up to
 * the day's net sales (the total row). The shop's QR recorded at the till is kept apart from
 * the payment codes an acquirer settles: only those are reconciled against a statement.
 */
export function PaymentMixTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const totals = report.totals;
  const used = totals.byMethod.filter(
    (m) => m.count !== 0 || m.amountFen !== 0 || (m.refundsFen ?? 0) !== 0,
  );
  const orDash = (fen: number | undefined) => (fen === undefined ? '—' : money(fen));
  return (
    <table
      className="report-table"
      aria-label={t('manager.paymentMix')}
      data-testid="report-payment-mix"
    >
      <caption>{t('manager.paymentMix')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.method')}</th>
          <th scope="col">{t('manager.settledBy')}</th>
          <th scope="col" className="num">
            {t('manager.count')}
          </th>
          <th scope="col" className="num">
            {t('manager.paid')}
          </th>
          <th scope="col" className="num">
            {t('manager.refundsCount')}
          </th>
          <th scope="col" className="num">
            {t('manager.refundsAmount')}
          </th>
          <th scope="col" className="num">
            {t('manager.mixNet')}
          </th>
        </tr>
      </thead>
      <tbody>
        {used.length === 0 && (
          <tr>
            <td colSpan={7} className="muted">
              {t('manager.noData')}
            </td>
          </tr>
        )}
        {used.map((m) => (
          <tr key={m.method} data-testid="mix-row" data-method={m.method}>
            <th scope="row">{t(`methods.${m.method}`)}</th>
            <td>{t(`manager.settled.${METHOD_SETTLED_BY[m.method]}`)}</td>
            <td className="num">{m.count}</td>
            <td className="num">{orDash(m.paidFen)}</td>
            <td className="num">{m.refundsCount ?? '—'}</td>
            <td className="num">{orDash(m.refundsFen)}</td>
            <td className="num">{money(m.amountFen)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('manager.mixTotal')}</th>
          <td />
          <td className="num">{totals.byMethod.reduce((s, m) => s + m.count, 0)}</td>
          <td className="num">{money(totals.salesFen)}</td>
          <td className="num">{totals.refundsCount}</td>
          <td className="num">{money(totals.refundsFen)}</td>
          <td className="num" data-testid="mix-net">
            {money(totals.netFen)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
