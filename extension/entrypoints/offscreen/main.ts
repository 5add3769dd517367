import { browser } from 'wxt/browser';
import { playHere } from '../../lib/play-sound';

// Chrome's offscreen document: the background asks it to play alert sounds, since a service worker has no audio.
browser.runtime.onMessage.addListener((msg: unknown, sender) => {
  const m = msg as { type?: string; sound?: string };
  if (sender.id !== browser.runtime.id || m?.type !== 'ringback-play' || (m.sound !== 'chime' && m.sound !== 'bell')) return undefined;
  return playHere(m.sound).then(() => true);
});
