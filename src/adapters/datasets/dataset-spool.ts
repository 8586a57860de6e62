import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type DatasetSpool, referenceErrors, type SpooledDataset } from '../../modules/monitor/index.js';
import { readCsv } from './csv-rows.js';
import { readJsonl } from './jsonl-rows.js';
import { readParquet } from './parquet-rows.js';

const chunkBytes = 1024 * 1024;

/**
 * Holds an upload in a private file (0600, under `dir`, removed by `discard` and at the next start) so the
 * dataset can be parsed before its bytes are stored, and Parquet read by row group from its footer. The
 * bytes are hashed and counted as they arrive; past the limit the upload stops and nothing is kept.
 */
export function createDatasetSpool(options: { dir: string }): DatasetSpool & { sweep(): Promise<void> } {
  return {
    async sweep() {
      await rm(options.dir, { recursive: true, force: true });
    },
    async spool(source, maxBytes): Promise<SpooledDataset> {
      await mkdir(options.dir, { recursive: true, mode: 0o700 });
      const file = path.join(options.dir, `${randomUUID()}.upload`);
      const hash = createHash('sha256');
      let size = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          if (size > maxBytes) return done(referenceErrors.referenceTooLarge(maxBytes));
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        await pipeline(source, meter, createWriteStream(file, { mode: 0o600, flags: 'wx' }));
      } catch (err) {
        await rm(file, { force: true });
        throw err;
      }
      const digest = hash.digest('hex');
      const open = () => createReadStream(file, { highWaterMark: chunkBytes });
      return {
        size,
        digest,
        open,
        read: (format) =>
          format === 'csv' ? readCsv(open()) : format === 'jsonl' ? readJsonl(open()) : readParquet(file),
        discard: () => rm(file, { force: true }),
      };
    },
  };
}
