import type { JSX } from 'solid-js';
import type { Tone } from './format.js';

/** A coloured state label; the icon and words carry the meaning, the colour repeats it. */
export function Chip(props: { tone: Tone; icon?: string; children: JSX.Element; title?: string }) {
  return (
    <span class="rb-chip" data-tone={props.tone} title={props.title}>
      {props.icon && <span aria-hidden="true">{props.icon}</span>}
      {props.children}
    </span>
  );
}
