import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Why a function: Firefox needs browser_specific_settings.gecko, Chrome must not get it.
// Permissions are the fewest the product needs (test/security/manifest.test.ts pins them):
// storage (history, settings), alarms + notifications (deadline reminders, D5).
// Host access is only the Seller Panel; no <all_urls>, no tabs.
export default defineConfig({
  // OOG_OUT_DIR lets parallel work build side by side; the default is WXT's .output.
  outDir: process.env.OOG_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/i18n/module'],
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications'],
    host_permissions: ['https://seller.ozon.ru/*'],
    action: { default_title: '__MSG_extName__' },
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'ozon-order-guard@ozon-order-guard.org',
          strict_min_version: '128.0',
          data_collection_permissions: { required: ['none'] },
        },
      },
    }),
  }),
  vite: () => ({ plugins: [preact()] }),
  webExt: { disabled: true },
});
