import type { AlertSound } from './alerts.js';

const RATE = 16_000;

/** Notes per sound: [frequency Hz, start s, length s]. The chime is two soft notes; the urgent bell rings twice. */
const notes: Record<Exclude<AlertSound, 'none'>, [number, number, number][]> = {
  chime: [
    [880, 0, 0.35],
    [1319, 0.14, 0.45],
  ],
  bell: [
    [988, 0, 0.5],
    [988, 0.5, 0.6],
  ],
};

/** A short mono 16-bit WAV made here at runtime: no sound files shipped, nothing fetched. */
export function toneWav(sound: Exclude<AlertSound, 'none'>): Uint8Array {
  const spec = notes[sound];
  const seconds = Math.max(...spec.map(([, start, len]) => start + len));
  const n = Math.ceil(seconds * RATE);
  const samples = new Float32Array(n);
  for (const [f, start, len] of spec) {
    const from = Math.floor(start * RATE);
    for (let i = 0; i < len * RATE && from + i < n; i++) {
      const t = i / RATE;
      // Fast attack, exponential decay; the bell adds an overtone so it cuts through a busy room.
      const env = Math.min(1, t / 0.005) * Math.exp(-t * (sound === 'bell' ? 5 : 8));
      const wave = Math.sin(2 * Math.PI * f * t) + (sound === 'bell' ? 0.4 * Math.sin(2 * Math.PI * f * 2.76 * t) : 0);
      samples[from + i]! += 0.35 * env * wave;
    }
  }
  const out = new Uint8Array(44 + n * 2);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + n * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, RATE, true);
  v.setUint32(28, RATE * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, n * 2, true);
  for (let i = 0; i < n; i++) v.setInt16(44 + i * 2, Math.round(Math.max(-1, Math.min(1, samples[i]!)) * 32767), true);
  return out;
}

/** The sound as a `data:` URL for an <audio> element or `new Audio()`. */
export function toneDataUrl(sound: Exclude<AlertSound, 'none'>): string {
  const bytes = toneWav(sound);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:audio/wav;base64,${btoa(bin)}`;
}

/**
 * Plays a sound through Web Audio over the generated WAV (no media URL, so no CSP change), in any page with audio:
 * the desktop windows, the options page, the extension's offscreen document or Firefox's background page.
 */
export async function playTone(sound: AlertSound): Promise<void> {
  if (sound === 'none') return;
  const ctx = new AudioContext();
  const buf = await ctx.decodeAudioData(toneWav(sound).slice().buffer);
  const src = ctx.createBufferSource();
  src.buffer = buf;
  src.connect(ctx.destination);
  src.onended = () => void ctx.close();
  src.start();
}
