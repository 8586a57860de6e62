import { exitCodeOfKind } from '../../src/cli/exit-codes.js';
import { AppError } from '../../src/platform/errors.js';
import { modelSigningVectors } from '../fixtures/interop/model-signing-vectors.js';

export { memoryCtx } from '../fixtures/memory-cli.js';

/** The reference model_signing vectors, committed under test/fixtures/interop/. */
export const interop = modelSigningVectors;
export const V110_ROOT = '92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4';

/** Runs a command function as the CLI's top-level catch would: its exit status and error. */
export async function exitOf(run: () => Promise<void>): Promise<{ code: number; error?: AppError }> {
  try {
    await run();
    return { code: 0 };
  } catch (error) {
    if (error instanceof AppError) return { code: exitCodeOfKind[error.kind], error };
    throw error;
  }
}
