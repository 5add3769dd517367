import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import './settings.css';
import { SettingsForm } from './settings-form.js';

render(() => <SettingsForm />, document.getElementById('app')!);
