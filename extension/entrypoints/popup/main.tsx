import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import './popup.css';
import { Popup } from './popup-view';

render(() => <Popup />, document.getElementById('app')!);
