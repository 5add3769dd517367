import { render } from 'solid-js/web';
import '@ringback/shared/ui/theme.css';
import './options.css';
import { OptionsForm } from './options-form';

render(() => <OptionsForm />, document.getElementById('app')!);
