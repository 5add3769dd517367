import { now } from './clock.js';
import { absolute, ago } from './format.js';

/** Live-ticking relative time; the absolute time (location zone) on hover and keyboard focus. */
export function RelTime(props: { at: string; timezone: string; prefix?: string; suffix?: string }) {
  const abs = () => absolute(props.at, props.timezone);
  const rel = () => ago(props.at, now());
  return (
    <time datetime={props.at} title={abs()} tabindex="0" class="rb-when">
      {props.prefix}
      {rel()}
      {rel() === 'just now' ? '' : props.suffix}
    </time>
  );
}
