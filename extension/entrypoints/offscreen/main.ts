import { browser } from 'wxt/browser';
import { playTone } from '@ringback/shared/client';

// Chrome's offscreen document: the background asks it to play alert sounds, since a service worker has no audio.
browser.runtime.onMessage.addListener((msg: unknown, sender) => {
  const m = msg as { type?: string; sound?: string };
  if (sender.id !== browser.runtime.id || m?.type !== 'ringback-play' || (m.sound !== 'chime' && m.sound !== 'bell')) return undefined;
  return playTone(m.sound).then(() => true);
});
