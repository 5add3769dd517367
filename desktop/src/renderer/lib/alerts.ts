import { createSignal, onCleanup } from 'solid-js';
import { toneWav, type AlertSound, type Snooze } from '@ringback/shared/client';
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

let ctx: AudioContext | undefined;

/** Plays main's alert sounds (main has no audio): Web Audio over the generated WAV, so no media URL is needed. */
export function playAlertSounds(): () => void {
  return bridge().on('alerts:play', (p: { sound: Exclude<AlertSound, 'none'> }) => {
    ctx ??= new AudioContext();
    const c = ctx;
    void c.decodeAudioData(toneWav(p.sound).slice().buffer).then((buf) => {
      const src = c.createBufferSource();
      src.buffer = buf;
      src.connect(c.destination);
      src.start();
    });
  });
}
