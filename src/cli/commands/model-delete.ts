import type { DeletionResult } from '../../modules/registry/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { seg } from '../api-client.js';
import { badOptionValue } from '../cli-errors.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { printJson } from '../output.js';

export interface ModelDeleteOptions extends ClientOptions {
  reason: string;
  yes?: boolean;
}

/**
 * `model delete NAME@REF --reason … --yes`: deletes one version. Its record stays as a tombstone; the bytes
 * of its files are destroyed unless another live version holds the same ones. There is no undo, hence --yes.
 */
export async function modelDelete(
  ctx: CliContext,
  target: string,
  options: ModelDeleteOptions,
): Promise<void> {
  const { model, ref } = splitModelRef(target);
  if (!ref) throw badOptionValue('<target>', 'name the version to delete as NAME@VERSION (or @sha256:…)');
  if (!options.yes) {
    throw badOptionValue(
      '--yes',
      "deleting a version destroys its files' bytes for good; add --yes to confirm",
    );
  }
  const query = new URLSearchParams({ reason: options.reason });
  const result = await clientFor(ctx, options).json<DeletionResult>(
    'DELETE',
    `/api/v1/models/${seg(model)}/versions/${seg(ref)}?${query}`,
  );
  if (options.json) return printJson(ctx.io, result);
  const { version, blobs } = result;
  // Counted per stored blob (distinct file contents), as the store keeps them.
  const kept = blobs.retained > 0 ? `, ${blobs.retained} kept (same bytes in another live version)` : '';
  const pending = blobs.pending > 0 ? `, ${blobs.pending} to be destroyed at the next server start` : '';
  ctx.io.stdout.write(
    `Deleted ${version.model}@${version.number} (${version.digest}): ${blobs.destroyed} blob${blobs.destroyed === 1 ? '' : 's'} destroyed${kept}${pending}\n`,
  );
}
