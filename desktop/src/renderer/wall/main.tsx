import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import './wall.css';
import { NotConfigured } from '@ringback/shared/ui';
import { applyTheme, bridge } from '../lib/bridge.js';
import { RelaySession } from '../lib/relay-session.js';
import { Wall } from './wall.js';

const openSettings = () => void bridge().invoke('window:open', { window: 'settings' });
void bridge().invoke('settings:get').then((s) => applyTheme(s.wallTheme));
bridge().on('settings:changed', (s) => applyTheme(s.wallTheme));

render(
  () => (
    <RelaySession fallback={<div class="wall wall-center"><NotConfigured onOpenSettings={openSettings} /></div>}>
      {(sync) => <Wall sync={sync} onOpenSettings={openSettings} />}
    </RelaySession>
  ),
  document.getElementById('app')!,
);
