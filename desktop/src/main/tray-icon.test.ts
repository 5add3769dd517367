import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng } from './png.js';
import { drawTrayIcon, iconText } from './tray-icon.js';

const at = (px: Uint8Array, size: number, x: number, y: number) => Array.from(px.slice((y * size + x) * 4, (y * size + x) * 4 + 4));

describe('tray icon', () => {
  it('is a red disc with a white count on an SLA breach', () => {
    const px = drawTrayIcon(32, 'red', 7);
    expect(at(px, 32, 0, 0)[3]).toBe(0); // corner transparent
    expect(at(px, 32, 16, 3)).toEqual([214, 40, 40, 255]); // disc, above the digit
    const white = [];
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) if (at(px, 32, x, y).join() === '255,255,255,255') white.push(1);
    expect(white.length).toBeGreaterThan(20);
  });

  it('is amber while callers wait, and a hollow ring when idle', () => {
    expect(at(drawTrayIcon(32, 'amber', 2), 32, 16, 3)).toEqual([230, 145, 20, 255]);
    const idle = drawTrayIcon(32, 'idle', null);
    expect(at(idle, 32, 16, 16)[3]).toBe(0); // centre empty
    expect(at(idle, 32, 16, 2)[3]).toBe(255); // ring
  });

  it('caps the text at 99+', () => {
    expect(iconText(null)).toBe('');
    expect(iconText(12)).toBe('12');
    expect(iconText(100)).toBe('99+');
  });

  it('encodes a valid PNG whose pixels round-trip', () => {
    const px = drawTrayIcon(16, 'red', 3);
    const png = encodePng(16, 16, px);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(16);
    const idatLen = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString()).toBe('IDAT');
    const raw = inflateSync(png.subarray(41, 41 + idatLen));
    expect(raw.length).toBe(16 * (16 * 4 + 1));
    expect(Array.from(raw.subarray(1 + 4 * 8, 1 + 4 * 8 + 4))).toEqual(Array.from(px.subarray(4 * 8, 4 * 8 + 4)));
  });
});
