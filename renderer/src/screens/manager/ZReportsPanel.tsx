import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/hooks';
import type { ZReport } from '../../contract';
import { loadZReports, selectZReports } from '../../features/manager/managerSlice';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatBusinessDate, formatDateTime } from '../../lib/time';

/** A stored Z report, exactly as it was taken, ready to reprint. */
function ZReportDialog({ z, onClose }: { z: ZReport; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const timeZone = useAppSelector(selectTimezone);
  const printRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={t('manager.zTitle', { number: z.number })}
      onCancel={onClose}
      initialFocus={printRef}
      testId="z-dialog"
    >
      <div className="dialog__body">
        <div className="print-area">
          <h3>{t('manager.zTitle', { number: z.number })}</h3>
          <p>
            {t('manager.date')}: {formatBusinessDate(z.businessDate, i18n.language)} ·{' '}
            {formatDateTime(z.createdAt, i18n.language, timeZone)}
          </p>
          <dl className="figures">
            <div>
              <dt>{t('manager.salesCount')}</dt>
              <dd>{z.totals.salesCount}</dd>
            </div>
            <div>
              <dt>{t('manager.gross')}</dt>
              <dd>{money(z.totals.grossFen)}</dd>
            </div>
            <div>
              <dt>{t('manager.refunds')}</dt>
              <dd>{money(z.totals.refundsFen)}</dd>
            </div>
            <div className="figures__strong">
              <dt>{t('manager.net')}</dt>
              <dd>{money(z.totals.netFen)}</dd>
            </div>
            {z.totals.byMethod.map((m) => (
              <div key={m.method}>
                <dt>{t(`methods.${m.method}`)}</dt>
                <dd>{money(m.amountFen)}</dd>
              </div>
            ))}
          </dl>
          <h4>{t('manager.shifts')}</h4>
          <dl className="figures">
            {z.shifts.map((s) => (
              <div key={s.id}>
                <dt>{formatDateTime(s.openedAt, i18n.language, timeZone)}</dt>
                <dd>
                  {t('manager.openedBy')}: {s.openedBy?.name ?? t('manager.unknownPerson')} ·{' '}
                  {t('manager.closedBy')}: {s.closedBy?.name ?? t('manager.unknownPerson')}
                </dd>
              </div>
            ))}
          </dl>
          <p className="muted hash">SHA-256 {z.hash}</p>
        </div>
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.close')}
          </button>
          <button
            ref={printRef}
            type="button"
            className="btn btn-primary btn-large"
            onClick={() => window.print()}
          >
            {t('manager.reprint')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

export function ZReportsPanel() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const reports = useAppSelector(selectZReports);
  const [shown, setShown] = useState<ZReport | null>(null);
  useEffect(() => {
    void dispatch(loadZReports());
  }, [dispatch]);
  return (
    <>
      <table className="report-table" aria-label={t('manager.zHistory')}>
        <caption>{t('manager.zHistory')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('manager.zNumber')}</th>
            <th scope="col">{t('manager.date')}</th>
            <th scope="col" className="num">
              {t('manager.net')}
            </th>
            <th scope="col">
              <span className="visually-hidden">{t('manager.reprint')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {reports.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                {t('manager.noZ')}
              </td>
            </tr>
          )}
          {reports.map((z) => (
            <tr key={z.number}>
              <th scope="row">{t('manager.zLabel', { number: z.number })}</th>
              <td>{formatBusinessDate(z.businessDate, i18n.language)}</td>
              <td className="num">{money(z.totals.netFen)}</td>
              <td>
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  onClick={() => setShown(z)}
                >
                  {t('manager.reprintZ', { number: z.number })}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown !== null && (
        <div className="overlay-layer">
          <ZReportDialog z={shown} onClose={() => setShown(null)} />
        </div>
      )}
    </>
  );
}
