import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import type { DailyReport, Shift } from '../../contract';
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
