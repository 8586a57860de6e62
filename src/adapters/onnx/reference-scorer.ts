import type { ReferenceScorer, ScoredOutput } from '../../modules/monitor/index.js';
import type { VersionRecord } from '../../modules/registry/index.js';

export interface ReferenceScorerDeps {
  /** The version's files, whole, read through the registry's verified path. */
  files(version: VersionRecord): Promise<{ path: string; bytes: Buffer }[]>;
  /** Rows per run (bounds the tensors in memory). */
  batchRows?: number;
}

/**
 * Runs a version's single ONNX file in ONNX Runtime on reference rows, batch by batch, and hands back each
 * output (int64 as numbers). The runtime is imported when first needed, so commands that never score a
 * reference never load it; the session is released after each call.
 */
export function createOnnxReferenceScorer(deps: ReferenceScorerDeps): ReferenceScorer {
  const batchRows = deps.batchRows ?? 1_000;
  return {
    async score(version, input) {
      const models = (await deps.files(version)).filter((f) => f.path.toLowerCase().endsWith('.onnx'));
      if (models.length !== 1)
        throw new Error(`version ${version.number} has ${models.length} ONNX files, not one`);
      const ort = await import('onnxruntime-node');
      const session = await ort.InferenceSession.create((models[0] as { bytes: Buffer }).bytes, {
        intraOpNumThreads: 1,
      });
      try {
        const out: Record<string, ScoredOutput> = {};
        const width = input.rows[0]?.length ?? 0;
        const double = /^(double|float64)/.test(input.dtype);
        for (let start = 0; start < input.rows.length; start += batchRows) {
          const batch = input.rows.slice(start, start + batchRows);
          const flat = double ? Float64Array.from(batch.flat()) : Float32Array.from(batch.flat());
          const tensor = new ort.Tensor(double ? 'float64' : 'float32', flat, [batch.length, width]);
          const result = await session.run({ [input.tensor]: tensor });
          for (const [name, t] of Object.entries(result)) {
            const data = Array.from(t.data as ArrayLike<number | bigint | string>, (v) =>
              typeof v === 'bigint' ? Number(v) : v,
            );
            const dims = t.dims.map(Number);
            const seen = out[name];
            if (!seen) out[name] = { shape: dims, data };
            else {
              seen.shape[0] = (seen.shape[0] ?? 0) + (dims[0] ?? 0);
              for (const v of data) seen.data.push(v);
            }
          }
        }
        return out;
      } finally {
        await session.release();
      }
    },
  };
}
