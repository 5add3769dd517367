import { browser } from 'wxt/browser';
import { playTone, type AlertSound } from '@ringback/shared/client';

const OFFSCREEN = '/offscreen.html';
type Playable = Exclude<AlertSound, 'none'>;
/** The part of chrome.offscreen we use (Chrome only; Firefox has none). */
interface Offscreen {
  hasDocument(): Promise<boolean>;
  createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
}

/**
 * Plays an alert sound from the background. Chrome's service worker has no audio, so an offscreen document
 * plays it; Firefox's background page can itself. Answers false when neither worked (the notification then keeps
 * the system's own sound).
 */
export async function playSound(sound: Playable): Promise<boolean> {
  try {
    const offscreen = (browser as unknown as { offscreen?: Offscreen }).offscreen;
    if (offscreen) {
      if (!(await offscreen.hasDocument())) {
        await offscreen.createDocument({ url: OFFSCREEN, reasons: ['AUDIO_PLAYBACK'], justification: 'Alert sounds for missed calls' });
      }
      await browser.runtime.sendMessage({ type: 'ringback-play', sound });
      return true;
    }
    if (typeof AudioContext !== 'undefined') {
      await playTone(sound);
      return true;
    }
  } catch {
    // No audio available: the notification's own sound stands in.
  }
  return false;
}
