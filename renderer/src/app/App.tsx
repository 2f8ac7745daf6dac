import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CashierScreen } from '../screens/cashier/CashierScreen';
import { CustomerScreen } from '../screens/customer/CustomerScreen';
import type { Screen } from './screen';

// The manager's screen (and its chart library) loads only where it is shown: the till and the
// customer display start without it.
const ManagerScreen = lazy(() =>
  import('../screens/manager/ManagerScreen').then((m) => ({ default: m.ManagerScreen })),
);

const TITLES = {
  cashier: 'app.cashierTitle',
  customer: 'app.customerTitle',
  manager: 'app.managerTitle',
} as const;

export function App({ screen }: { screen: Screen }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = t(TITLES[screen]);
  }, [screen, t]);

  switch (screen) {
    case 'customer':
      return <CustomerScreen />;
    case 'manager':
      return (
        <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
          <ManagerScreen />
        </Suspense>
      );
    default:
      return <CashierScreen />;
  }
}
