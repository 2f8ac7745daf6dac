/**
 * The store manager's screen, behind a manager's PIN: the daily report for any date (key
 * figures, sales by hour, the payment mix by channel, top items, refunds, per register), the
 * acquirers' reconciliation (对账) with its CSV, the day's shifts with their cashiers and cash
 * variances, the Z report history with reprint, sync status, settings, the report as CSV and
 * PDF, the staff (add, edit, disable, reset PINs; a prompt while a demo PIN is still in use),
 * the manager's own PIN, and the catalogue (CatalogPanel). Until main has accepted the PIN (a
 * manager session on this screen) nothing of the manager's is asked for: the gate is all there
 * is.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { downloadBlob } from '../../components/download';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AuditBanner } from '../../components/AuditBanner';
import { StatusBar } from '../../components/StatusBar';
import type { DailyReport, PaymentMethod } from '../../contract';
import {
  IDLE_LOCK_MS,
  loadShifts,
  lockManager,
  selectManager,
  selectShifts,
} from '../../features/manager/managerSlice';
import {
  dateChosen,
  loadDailyReport,
  selectReport,
  selectReportDate,
  selectReportError,
  selectReportStatus,
} from '../../features/report/reportSlice';
import { selectInfo } from '../../features/system/systemSlice';
import { reportCsv } from '../../lib/reportCsv';
import { formatBusinessDate, hourRange, todayIn } from '../../lib/time';
import { HourlyChart } from './HourlyChart';
import { ManagerGate } from './ManagerGate';
import { MethodMixChart } from './MethodMixChart';
import {
  KpiCards,
  PaymentMixTable,
  RefundsTable,
  RegistersTable,
  ShiftsTable,
  TopItemsTable,
} from './ReportTables';
import { ReconcilePanel } from './ReconcilePanel';
import { PinAttemptsPanel } from './PinAttemptsPanel';
import { DisplaysPanel } from './DisplaysPanel';
import { RegistersPanel } from './RegistersPanel';
import { RangeReportPanel } from './RangeReportPanel';
import { SettingsPanel } from './SettingsPanel';
import { AuditPanel } from './AuditPanel';
import { CatalogPanel } from './CatalogPanel';
import { SyncPanel } from './SyncPanel';
import { ZReportsPanel } from './ZReportsPanel';
import { StaffPanel } from './StaffPanel';
import { DemoPinsNotice } from './DemoPinsNotice';
import { ChangeOwnPinDialog } from '../../components/ChangeOwnPinDialog';

/** Locks the screen again after a while without input. */
function useIdleLock(active: boolean, lock: () => void): void {
  useEffect(() => {
    if (!active) return;
    let timer = setTimeout(lock, IDLE_LOCK_MS);
    const reset = (): void => {
      clearTimeout(timer);
      timer = setTimeout(lock, IDLE_LOCK_MS);
    };
    const events = ['pointerdown', 'keydown'] as const;
    for (const e of events) window.addEventListener(e, reset);
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, reset);
    };
  }, [active, lock]);
}

function useExports(report: DailyReport | null) {
  const { t } = useTranslation();
  const info = useAppSelector(selectInfo);
  const shifts = useAppSelector(selectShifts);
  const csv = (): void => {
    if (report === null) return;
    const text = reportCsv(report, shifts, {
      title: t('manager.title'),
      figure: t('manager.figure'),
      value: t('manager.value'),
      figures: {
        salesCount: t('manager.salesCount'),
        gross: t('manager.gross'),
        discounts: t('manager.discounts'),
        refunds: t('manager.refunds'),
        net: t('manager.net'),
        averageTicket: t('manager.averageTicket'),
        faceSharePercent: t('manager.faceSharePercent'),
      },
      byHour: t('manager.byHour'),
      hour: t('manager.hour'),
      count: t('manager.count'),
      amount: t('manager.amount'),
      byMethod: t('manager.byMethod'),
      method: (m) => (m === 'method' ? t('manager.method') : t(`methods.${m as PaymentMethod}`)),
      settledBy: t('manager.settledBy'),
      settled: (by) => t(`manager.settled.${by}`),
      paid: t('manager.paid'),
      refundsCount: t('manager.refundsCount'),
      refundsAmount: t('manager.refundsAmount'),
      net: t('manager.mixNet'),
      byRegister: t('manager.byRegister'),
      register: t('manager.register'),
      topItems: t('manager.topItems'),
      sku: t('manager.sku'),
      nameZh: t('manager.nameZh'),
      nameEn: t('manager.nameEn'),
      qty: t('manager.qty'),
      refunds: t('manager.refundsList'),
      receipt: t('manager.receipt'),
      time: t('manager.time'),
      reason: t('manager.reason'),
      shifts: t('manager.shifts'),
      opened: t('manager.opened'),
      openedBy: t('manager.openedBy'),
      closed: t('manager.closed'),
      closedBy: t('manager.closedBy'),
      expected: t('shift.expected'),
      counted: t('shift.countedShort'),
      variance: t('shift.variance'),
    });
    downloadBlob(
      new Blob([text], { type: 'text/csv;charset=utf-8' }),
      `daily-report-${report.businessDate}.csv`,
    );
  };
  const pdf = async (): Promise<void> => {
    if (report === null) return;
    // jsPDF is loaded only when a PDF is asked for: the screens start without it.
    const { reportPdf } = await import('../../lib/reportPdf');
    const doc = await reportPdf({
      report,
      shifts,
      shopName: info?.shopName ?? '',
      terminalId: info?.terminalId ?? '',
      generatedAt: new Date(),
    });
    downloadBlob(doc.output('blob'), `daily-report-${report.businessDate}.pdf`);
  };
  return { csv, pdf };
}

export function ManagerScreen() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const info = useAppSelector(selectInfo);
  const manager = useAppSelector(selectManager);
  const date = useAppSelector(selectReportDate);
  const report = useAppSelector(selectReport);
  const status = useAppSelector(selectReportStatus);
  const error = useAppSelector(selectReportError);
  const shifts = useAppSelector(selectShifts);
  const dateId = useId();
  const [exporting, setExporting] = useState(false);
  const [changingPin, setChangingPin] = useState(false);
  // Bumped by every staff change, so the staff list and the demo-PIN prompt ask again.
  const [staffVersion, setStaffVersion] = useState(0);
  const staffChanged = useCallback(() => setStaffVersion((v) => v + 1), []);

  const shown = report !== null && report.businessDate === date ? report : null;
  const exports = useExports(shown);
  const lock = useCallback((): void => {
    void dispatch(lockManager());
  }, [dispatch]);
  useIdleLock(manager !== null, lock);

  // Default to today in the shop's time zone, once the terminal has told us which that is.
  useEffect(() => {
    if (date !== null || info === null) return;
    dispatch(dateChosen(todayIn(info.timezone)));
  }, [date, info, dispatch]);

  // The day's figures, once unlocked (and again for each date chosen or unlock).
  const load = useCallback(
    (day: string): void => {
      void dispatch(loadDailyReport(day));
      void dispatch(loadShifts(day));
    },
    [dispatch],
  );
  useEffect(() => {
    if (manager !== null && date !== null) load(date);
  }, [manager, date, load]);

  if (manager === null) {
    return (
      <div className="screen screen--manager">
        <StatusBar screen="manager" title={t('manager.title')} showShift={false} />
        <AuditBanner />
        <div className="work-area">
          <ManagerGate />
        </div>
      </div>
    );
  }

  const choose = (value: string): void => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    dispatch(dateChosen(value));
  };

  return (
    <div className="screen screen--manager">
      <StatusBar screen="manager" title={t('manager.title')} showShift={false} />
      <AuditBanner />
      <main className="manager">
        <form
          className="manager__controls"
          data-testid="report-controls"
          onSubmit={(event) => {
            event.preventDefault();
            if (date !== null) load(date);
          }}
        >
          <div className="field field--inline">
            <label htmlFor={dateId} className="field-label">
              {t('manager.date')}
            </label>
            <input
              id={dateId}
              className="input"
              type="date"
              value={date ?? ''}
              required
              onChange={(event) => choose(event.target.value)}
            />
            {/* The date input shows the browser's format; this is the shop's. */}
            {date !== null && (
              <output htmlFor={dateId} className="muted" data-testid="report-date">
                {formatBusinessDate(date, i18n.language, 'long')}
              </output>
            )}
          </div>
          <button type="submit" className="btn btn-secondary" disabled={date === null}>
            {t('manager.refresh')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={shown === null}
            onClick={exports.csv}
          >
            {t('manager.exportCsv')}
          </button>
          <button
            type="button"
            className="btn btn-secondary"
            disabled={shown === null || exporting}
            onClick={() => {
              setExporting(true);
              void exports.pdf().finally(() => setExporting(false));
            }}
          >
            {t('manager.exportPdf')}
          </button>
          <span className="manager__who">
            {t('manager.signedIn', { name: manager.name })}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => setChangingPin(true)}
            >
              {t('staff.changeOwnPin')}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={lock}>
              {t('manager.lock')}
            </button>
          </span>
          {shown !== null && (
            <span className="muted">{t('manager.timezone', { tz: shown.timezone })}</span>
          )}
          {status === 'loading' && (
            <span className="muted" role="status">
              {t('manager.loading')}
            </span>
          )}
        </form>
        <ErrorMessage error={status === 'error' ? error : null} testId="report-error" />
        <DemoPinsNotice version={staffVersion} />
        {shown !== null && (
          <div className="manager__grid" data-testid="report">
            <KpiCards report={shown} />
            <div className="manager__charts">
              <HourlyChart report={shown} />
              <MethodMixChart report={shown} />
            </div>
            <div className="manager__tables">
              <PaymentMixTable report={shown} />
              <TopItemsTable report={shown} />
              <RefundsTable report={shown} />
              <RegistersTable report={shown} />
              <ShiftsTable shifts={shifts} />
              <ZReportsPanel />
              <ReconcilePanel businessDate={shown.businessDate} />
            </div>
            <div className="manager__side">
              <AuditPanel />
              <SyncPanel />
              <SettingsPanel />
              <PinAttemptsPanel />
              <DisplaysPanel />
              <RegistersPanel />
            </div>
            <p className="muted">{t('manager.hoursNote', { example: hourRange(9) })}</p>
          </div>
        )}
        <RangeReportPanel />
        <StaffPanel version={staffVersion} onChanged={staffChanged} />
        {changingPin && (
          <div className="overlay-layer">
            <ChangeOwnPinDialog
              person={manager}
              onClose={() => setChangingPin(false)}
              onChanged={staffChanged}
            />
          </div>
        )}
        <CatalogPanel />
      </main>
    </div>
  );
}
