import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CashierScreen } from '../screens/cashier/CashierScreen';
import { CustomerScreen } from '../screens/customer/CustomerScreen';
import { ManagerScreen } from '../screens/manager/ManagerScreen';
import type { Screen } from './screen';

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
      return <ManagerScreen />;
    default:
      return <CashierScreen />;
  }
}
