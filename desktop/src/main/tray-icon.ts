import type { IconTone } from './tray-view.js';

/** 3×5 pixel digits, one string per row. */
const DIGITS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '+': ['000', '010', '111', '010', '000'],
};

/** Same hues as the UI tokens; mid-tones so the icon reads on light and dark task bars. */
const TONES: Record<IconTone, [number, number, number]> = {
  red: [214, 40, 40],
  amber: [230, 145, 20],
  idle: [120, 128, 140],
  off: [120, 128, 140],
};

export const iconText = (count: number | null): string => (count === null ? '' : count > 99 ? '99+' : String(count));

/**
 * The tray icon as RGBA pixels: a filled disc in the state's colour with the unclaimed count in white,
 * or a ring when nothing waits (idle) or we're not connected (off, with a slash).
 */
export function drawTrayIcon(size: number, tone: IconTone, count: number | null): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const [r, g, b] = TONES[tone];
  const c = size / 2;
  const outer = size / 2 - size / 32;
  const ring = size / 8;
  const filled = count !== null && (tone === 'red' || tone === 'amber');
  const SS = 4; // supersampling for smooth edges

  const blend = (i: number, cr: number, cg: number, cb: number, a: number) => {
    const ea = px[i + 3]! / 255;
    const oa = a + ea * (1 - a);
    if (oa === 0) return;
    px[i] = Math.round((cr * a + px[i]! * ea * (1 - a)) / oa);
    px[i + 1] = Math.round((cg * a + px[i + 1]! * ea * (1 - a)) / oa);
    px[i + 2] = Math.round((cb * a + px[i + 2]! * ea * (1 - a)) / oa);
    px[i + 3] = Math.round(oa * 255);
  };

  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const dx = x + (sx + 0.5) / SS - c;
          const dy = y + (sy + 0.5) / SS - c;
          const d = Math.hypot(dx, dy);
          let inside = filled ? d <= outer : d <= outer && d >= outer - ring;
          // "off": a slash across the ring, top-right to bottom-left.
          if (!inside && tone === 'off' && d <= outer && Math.abs(dx + dy) <= ring / 1.4) inside = true;
          if (inside) cover++;
        }
      }
      if (cover) blend((y * size + x) * 4, r, g, b, cover / (SS * SS));
    }
  }

  const text = filled ? iconText(count) : '';
  if (text) {
    // Scale the 3×5 font as large as fits inside the disc.
    const cols = text.length * 3 + (text.length - 1);
    const scale = Math.max(1, Math.floor(Math.min((size * 0.72) / cols, (size * 0.56) / 5)));
    const w = cols * scale;
    const h = 5 * scale;
    const x0 = Math.round(c - w / 2);
    const y0 = Math.round(c - h / 2);
    [...text].forEach((ch, n) => {
      const glyph = DIGITS[ch]!;
      glyph.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== '1') return;
          for (let yy = 0; yy < scale; yy++) {
            for (let xx = 0; xx < scale; xx++) {
              const x = x0 + (n * 4 + gx) * scale + xx;
              const y = y0 + gy * scale + yy;
              if (x >= 0 && y >= 0 && x < size && y < size) blend((y * size + x) * 4, 255, 255, 255, 1);
            }
          }
        });
      });
    });
  }
  return px;
}
