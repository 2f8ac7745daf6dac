// Lint rules, including the layering rules that keep the architecture honest:
// - only main/app may import 'electron' (everything else runs under plain Node);
// - lower layers never import upper ones (contract < promotions < ledger/face < core <
//   sync/host < app; native/, the USB peripherals, sits beside ledger and face: the core uses
//   it, it uses only the contract);
// - the renderer may import nothing from main except the contract and the pure promotions
//   engine (main/promotions, which itself imports only the contract).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const ELECTRON_ONLY = 'Only main/app (and the preload scripts) may import electron.';
const electronBan = { name: 'electron', message: ELECTRON_ONLY };
const electronSubpaths = { group: ['electron/*'], message: ELECTRON_ONLY };
/** import('electron'), require('electron') and createRequire(...)('electron'), subpaths too. */
const ELECTRON_SPECIFIER = '/^electron(\\u002F|$)/';
const electronDynamicBan = [
  'error',
  ...[
    `ImportExpression[source.value=${ELECTRON_SPECIFIER}]`,
    `CallExpression[callee.name='require'][arguments.0.value=${ELECTRON_SPECIFIER}]`,
    `CallExpression[callee.type='CallExpression'][arguments.0.value=${ELECTRON_SPECIFIER}]`,
  ].map((selector) => ({ selector, message: ELECTRON_ONLY })),
];

/** Import patterns for a layer folder: its index ('../core') and anything inside it. */
function layers(...names) {
  return names.flatMap((name) => [`**/${name}`, `**/${name}/**`]);
}

/**
 * A no-restricted-imports rule that forbids the given path patterns, and electron. (A later
 * config's options replace an earlier one's, so every layer's rule carries the electron ban.)
 */
function forbid(patterns, message, { electron = true } = {}) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: electron ? [electronBan] : [],
        patterns: [{ group: patterns, message }, ...(electron ? [electronSubpaths] : [])],
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'build/', 'dist/', 'test-results/', 'playwright-report/', '.cache/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      // Everything but main/app and the preloads runs under plain Node or in a page.
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [electronSubpaths] }],
      'no-restricted-syntax': electronDynamicBan,
    },
  },
  {
    files: ['main/app/**', 'preload/**'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' },
  },
  {
    files: ['main/contract/**'],
    rules: forbid(
      ['../*', '!../contract/*'],
      'The contract is the bottom layer: it imports only zod.',
    ),
  },
  {
    files: ['main/ledger/**', 'main/face/**'],
    rules: forbid(
      layers('core', 'host', 'sync', 'app', 'renderer'),
      'Lower layers never import upper ones.',
    ),
  },
  {
    // Pure pricing that the till, the customer display and the ledger must agree on, so it sits
    // just above the contract where all three can import it. Its tests may borrow test-support.
    files: ['main/promotions/**'],
    ignores: ['main/promotions/**/*.test.ts'],
    rules: forbid(
      layers('ledger', 'face', 'core', 'host', 'sync', 'app', 'renderer', 'preload', 'native'),
      'promotions imports the contract and nothing else of ours (the renderer uses it too).',
    ),
  },
  {
    files: ['main/core/**'],
    rules: forbid(layers('host', 'app', 'renderer'), 'core is below host and app.'),
  },
  {
    files: ['main/sync/**', 'main/host/**', 'cloud/**'],
    rules: forbid(layers('app', 'renderer'), 'Only app sits above these.'),
  },
  {
    files: ['native/**'],
    rules: forbid(
      // As for the renderer: not layers('main'), so that the contract can be let back in.
      ['**/main/**', '!**/main/contract', '!**/main/contract/**', ...layers('renderer', 'preload')],
      'native/ is a lower layer: it imports the contract and nothing else of ours.',
    ),
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...forbid(
        // Not layers('main'): a pattern matching the folder itself would stop the re-include below.
        [
          '**/main/**',
          '!**/main/contract',
          '!**/main/contract/**',
          // The same pricing the ledger uses, so the cart shows what the receipt will say.
          '!**/main/promotions',
          '!**/main/promotions/**',
          ...layers('preload'),
        ],
        'The renderer talks to main only through the contract (and prices with main/promotions).',
      ),
    },
  },
  {
    files: ['preload/**'],
    rules: forbid(
      ['**/main/**', '!**/main/contract', '!**/main/contract/**', ...layers('renderer')],
      'The preload exposes the contract and nothing else.',
      { electron: false },
    ),
  },
);
