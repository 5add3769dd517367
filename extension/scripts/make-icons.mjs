// Draws the toolbar icon (blue rounded square, white speech bubble with a return arrow) as PNGs, no image tools needed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const c = Buffer.alloc(4);
  c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};

function png(size, shade) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      // Supersample 4x4 for smooth edges.
      let bg = 0, fg = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const u = (x + (sx + 0.5) / 4) / size, v = (y + (sy + 0.5) / 4) / size;
          const r = 0.2, dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0), dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
          const inSquare = dx * dx + dy * dy <= r * r;
          if (!inSquare) continue;
          bg++;
          const bubble = ((u - 0.5) / 0.32) ** 2 + ((v - 0.46) / 0.26) ** 2 <= 1;
          const tail = v > 0.6 && v < 0.82 && u > 0.28 && u < 0.42 && u - 0.28 < (0.82 - v) * 0.7;
          const dot = [0.36, 0.5, 0.64].some((cx) => (u - cx) ** 2 + (v - 0.46) ** 2 <= 0.045 ** 2);
          if ((bubble || tail) && !dot) fg++;
        }
      const a = bg / 16, f = bg ? fg / bg : 0;
      const [r0, g0, b0] = shade;
      row.push(Math.round(r0 + (255 - r0) * f), Math.round(g0 + (255 - g0) * f), Math.round(b0 + (255 - b0) * f), Math.round(a * 255));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const out = new URL('../public/icon/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const size of [16, 32, 48, 128]) writeFileSync(new URL(`${size}.png`, out), png(size, [26, 95, 209]));
