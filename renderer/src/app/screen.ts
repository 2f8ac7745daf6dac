/**
 * One bundle, three screens. Electron loads index.html?screen=…; the browser host serves the
 * same page at /, /customer and /manager.
 */
import { SCREENS, type Screen } from '../contract';

function isScreen(value: string): value is Screen {
  return (SCREENS as readonly string[]).includes(value);
}

export function pickScreen(location: { search: string; pathname: string }): Screen {
  const fromQuery = new URLSearchParams(location.search).get('screen');
  if (fromQuery !== null && isScreen(fromQuery)) return fromQuery;
  // The last path segment, so that a host mounted under a prefix (or a trailing slash) works.
  const segments = location.pathname.split('/').filter((s) => s !== '' && s !== 'index.html');
  const last = segments[segments.length - 1];
  if (last === 'customer' || last === 'manager') return last;
  return 'cashier';
}

export type { Screen };
