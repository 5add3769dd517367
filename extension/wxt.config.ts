import { defineConfig } from 'wxt';

// Permissions per browser: Chrome's side panel vs Firefox's sidebar_action (added by WXT from entrypoints/sidepanel).
// The relay's origin is requested at save time (options page), never granted up front.
export default defineConfig({
  modules: ['@wxt-dev/module-solid'],
  imports: false,
  manifest: ({ browser, manifestVersion }) => ({
    name: 'Ringback',
    description: 'Missed-call text-back queue for the front desk: claim, reply and resolve from the side panel.',
    // offscreen: Chrome's service worker plays alert sounds through an offscreen document.
    permissions: ['storage', 'notifications', 'alarms', ...(browser === 'firefox' ? [] : ['offscreen'])],
    ...(manifestVersion === 3
      ? { optional_host_permissions: ['http://*/*', 'https://*/*'] }
      : { optional_permissions: ['http://*/*', 'https://*/*'] }),
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'extension@ringback.invalid', strict_min_version: '115.0' } } }
      : { minimum_chrome_version: '116' }),
    action: { default_title: 'Ringback' },
  }),
  vite: () => ({
    build: { target: 'es2022', sourcemap: !!process.env.RB_SOURCEMAP },
  }),
});
