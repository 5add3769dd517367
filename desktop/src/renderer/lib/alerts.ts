import { createSignal, onCleanup } from 'solid-js';
import { playTone, type Snooze } from '@ringback/shared/client';
import type { SnoozeApi } from '@ringback/shared/ui';
import { bridge } from './bridge.js';

/** Thread reminders kept by main (settings file, timer there), mirrored here for the thread view. */
export function useSnoozes(): SnoozeApi {
  const [list, setList] = createSignal<Snooze[]>([]);
  void bridge().invoke('alerts:snoozes').then(setList);
  onCleanup(bridge().on('alerts:snoozes-changed', (p) => setList(p.snoozes)));
  return {
    at: (id) => list().find((s) => s.threadId === id)?.at ?? null,
    set: (threadId, at, caller) => void bridge().invoke('alerts:snooze', { threadId, at, caller: caller.slice(0, 200) }).then(setList),
    clear: (threadId) => void bridge().invoke('alerts:unsnooze', { threadId }).then(setList),
  };
}

/** Plays main's alert sounds (main has no audio). */
export function playAlertSounds(): () => void {
  return bridge().on('alerts:play', (p) => void playTone(p.sound));
}
