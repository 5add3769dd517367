import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** Hands the gunzipped bytes of a file to `take` a chunk at a time; a throw or rejection there ends the read with it. */
export async function readGunzipped(file: string, take: (chunk: Buffer) => void | Promise<void>): Promise<void> {
  await pipeline(
    createReadStream(file),
    createGunzip(),
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        Promise.resolve()
          .then(() => take(chunk))
          .then(() => cb(), (e: Error) => cb(e));
      },
    }),
  );
}
