/**
 * A stand-in voicemail: a soft three-note chime as 8 kHz 16-bit mono PCM WAV (what a browser <audio> plays).
 * Always about 1.5 s whatever the reported RecordingDuration, so the demo stays pleasant to click through.
 */

const RATE = 8000;
const NOTES = [523.25, 659.25, 783.99]; // C5, E5, G5
const NOTE_S = 0.45;
const GAP_S = 0.05;

let cached: Buffer | null = null;

export function voicemailWav(): Buffer {
  if (cached) return cached;
  const perNote = Math.round(RATE * NOTE_S);
  const gap = Math.round(RATE * GAP_S);
  const samples = NOTES.length * (perNote + gap);
  const buf = Buffer.alloc(44 + samples * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + samples * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // PCM header size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(samples * 2, 40);
  let i = 0;
  for (const f of NOTES) {
    for (let n = 0; n < perNote; n++) {
      const t = n / RATE;
      const envelope = Math.min(1, n / 200) * Math.exp(-3 * t); // quick attack, bell-like decay
      buf.writeInt16LE(Math.round(Math.sin(2 * Math.PI * f * t) * envelope * 9000), 44 + 2 * i++);
    }
    i += gap; // silence (already zeroed)
  }
  cached = buf;
  return buf;
}
