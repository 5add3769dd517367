import { browser } from 'wxt/browser';
import { toneWav, type AlertSound } from '@ringback/shared/client';

const OFFSCREEN = '/offscreen.html';
type Playable = Exclude<AlertSound, 'none'>;
/** The part of chrome.offscreen we use (Chrome only; Firefox has none). */
interface Offscreen {
  hasDocument(): Promise<boolean>;
  createDocument(p: { url: string; reasons: string[]; justification: string }): Promise<void>;
}

/** Web Audio over the generated WAV: no file, no media URL. Used by the offscreen page and Firefox's background page. */
export async function playHere(sound: Playable): Promise<void> {
  const ctx = new AudioContext();
  const buf = await ctx.decodeAudioData(toneWav(sound).slice().buffer);
  const src = ctx.createBufferSource();
  src.buffer = buf;
  src.connect(ctx.destination);
  src.onended = () => void ctx.close();
  src.start();
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
      await playHere(sound);
      return true;
    }
  } catch {
    // No audio available: the notification's own sound stands in.
  }
  return false;
}
