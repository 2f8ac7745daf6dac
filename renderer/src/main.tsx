/**
 * Entry point of the one renderer bundle: pick the screen, start i18n, connect to main (Electron
 * preload bridge or the host's WebSocket), and render.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ErrorBoundary } from 'react-error-boundary';
import { Provider } from 'react-redux';
// Self-hosted Noto Sans SC (variable weight, unicode-range slices), so that Chinese renders on a
// machine without CJK fonts; Vite emits the woff2 slices beside the bundle.
import '@fontsource-variable/noto-sans-sc';
import './styles/base.css';
import './styles/cashier.css';
import './styles/customer.css';
import './styles/manager.css';
import { createClient } from './api/client';
import { needsPairing, takeHostKey } from './api/hostKey';
import { App } from './app/App';
import { ScreenError } from './components/ScreenError';
import { PairingScreen } from './screens/customer/PairingScreen';
import { pickScreen } from './app/screen';
import { createAppStore } from './app/store';
import { syncStoreWithClient } from './app/sync';
import { syncFacePay } from './features/facepay/sync';
import { DEFAULT_LANGUAGE, initI18n, storedLanguage } from './i18n';
import i18next from 'i18next';

const screen = pickScreen(window.location);
document.body.dataset.screen = screen;

const remembered = storedLanguage(screen);
await initI18n(remembered ?? DEFAULT_LANGUAGE);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

/** The screens, connected to main. */
function startScreens(mount: HTMLElement): void {
  const client = createClient(window);
  const store = createAppStore(client);
  syncStoreWithClient(store, client, screen);
  syncFacePay(store, client, screen, window);

  if (remembered === null) {
    // No choice made on this screen yet: follow the terminal's configured language once known.
    const unsubscribe = store.subscribe(() => {
      const info = store.getState().system.info;
      if (info === null) return;
      unsubscribe();
      if (info.defaultLocale !== i18next.language) {
        void i18next.changeLanguage(info.defaultLocale);
        document.documentElement.lang = info.defaultLocale;
      }
    });
  }

  createRoot(mount).render(
    <StrictMode>
      <ErrorBoundary
        FallbackComponent={ScreenError}
        // The console is what the Electron log and the test runner keep.
        onError={(error, info) => console.error('screen crashed', error, info.componentStack)}
      >
        <Provider store={store}>
          <App screen={screen} />
        </Provider>
      </ErrorBoundary>
    </StrictMode>,
  );
}

// A remote display that has no token yet pairs first, then reloads to connect with it.
if (needsPairing(window, takeHostKey(window))) {
  createRoot(root).render(
    <StrictMode>
      <PairingScreen onPaired={() => window.location.reload()} />
    </StrictMode>,
  );
} else {
  startScreens(root);
}
