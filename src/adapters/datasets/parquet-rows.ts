import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { type DatasetCell, type DatasetRows, referenceErrors } from '../../modules/monitor/index.js';
import { typedCell } from './cell-value.js';
import { checkHeader, datasetLimits } from './dataset-limits.js';

/**
 * Parquet rows (hyparquet, every codec of hyparquet-compressors), read from a file one row group at a time:
 * memory holds one row group (refused past `maxRowGroupBytes` uncompressed). Only flat columns: a nested
 * (struct, list, map) column is refused by name.
 */
export async function readParquet(file: string): Promise<DatasetRows> {
  const buffer = await asyncBufferFromFile(file);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw referenceErrors.referenceInvalid(`not a readable Parquet file (${(err as Error).message})`);
  }
  const fields = parquetSchema(metadata).children;
  const nested = fields.find((f) => f.children.length > 0);
  if (nested)
    throw referenceErrors.referenceInvalid(
      `column "${nested.element.name}" is nested; only flat columns are read`,
      { column: nested.element.name },
    );
  const columns = checkHeader(
    fields.map((f) => f.element.name),
    'row',
    0,
  );
  if (Number(metadata.num_rows) === 0) throw referenceErrors.referenceEmpty();

  async function* rows(): AsyncGenerator<{ at: number; values: DatasetCell[] }> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const count = Number(group.num_rows);
      if (Number(group.total_byte_size) > datasetLimits.maxRowGroupBytes) {
        throw referenceErrors.referenceInvalid(
          `a row group is larger than ${datasetLimits.maxRowGroupBytes} bytes`,
          { row: rowStart + 1 },
        );
      }
      let objects: Record<string, unknown>[] = [];
      try {
        await parquetRead({
          file: buffer,
          metadata,
          compressors,
          rowStart,
          rowEnd: rowStart + count,
          rowFormat: 'object',
          onComplete: (data: Record<string, unknown>[]) => {
            objects = data;
          },
        });
      } catch (err) {
        throw referenceErrors.referenceInvalid(`cannot read a row group (${(err as Error).message})`, {
          row: rowStart + 1,
        });
      }
      for (let r = 0; r < objects.length; r++) {
        const obj = objects[r] as Record<string, unknown>;
        const at = rowStart + r + 1;
        const values = columns.map((c) => {
          const cell = typedCell(obj[c]);
          if (cell === undefined)
            throw referenceErrors.referenceInvalid(
              `column "${c}" holds a value that is not a number or text`,
              { row: at, column: c },
            );
          return cell;
        });
        yield { at, values };
      }
      rowStart += count;
    }
  }
  return { columns, unit: 'row', rows: rows() };
}
