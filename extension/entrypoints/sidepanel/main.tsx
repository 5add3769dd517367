import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import { SidePanel } from './side-panel';

render(() => <SidePanel />, document.getElementById('app')!);
