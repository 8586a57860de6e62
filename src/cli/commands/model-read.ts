import type {
  AliasView,
  ModelView,
  Page,
  VersionDetailView,
  VersionView,
} from '../../modules/registry/index.js';
import { splitModelRef } from '../../modules/registry/index.js';
import { actorLabel } from '../actor-label.js';
import { seg } from '../api-client.js';
import { type CliContext, type ClientOptions, clientFor } from '../context.js';
import { humanBytes, printFields, printJson, printTable, shortDigest } from '../output.js';

export async function modelCreate(
  ctx: CliContext,
  name: string,
  options: ClientOptions & { description?: string; owner?: string; tag?: string[] },
): Promise<void> {
  const model = await clientFor(ctx, options).json<ModelView>('POST', '/api/v1/models', {
    name,
    ...(options.description !== undefined ? { description: options.description } : {}),
    ...(options.owner !== undefined ? { owner: options.owner } : {}),
    ...(options.tag ? { tags: options.tag } : {}),
  });
  if (options.json) return printJson(ctx.io, model);
  ctx.io.stdout.write(`Created model ${model.name}\n`);
}

export async function modelList(
  ctx: CliContext,
  options: ClientOptions & { tag?: string; limit?: string },
): Promise<void> {
  const client = clientFor(ctx, options);
  const query = new URLSearchParams({
    limit: options.limit ?? '100',
    ...(options.tag ? { tag: options.tag } : {}),
  });
  const page = await client.json<Page<ModelView>>('GET', `/api/v1/models?${query}`);
  if (options.json) return printJson(ctx.io, page);
  printTable(
    ctx.io,
    ['NAME', 'OWNER', 'TAGS', 'UPDATED', 'DESCRIPTION'],
    page.items.map((m) => [m.name, m.owner, m.tags.join(','), m.updatedAt, m.description.slice(0, 60)]),
  );
  if (page.next) ctx.io.stderr.write(`(more: --limit to see more)\n`);
}

/** `model show NAME` shows the model and its recent versions; `model show NAME@REF` one version in full. */
export async function modelShow(
  ctx: CliContext,
  target: string,
  options: ClientOptions & { deleted?: boolean },
): Promise<void> {
  const client = clientFor(ctx, options);
  const { model, ref } = splitModelRef(target);
  if (ref) {
    const v = await client.json<VersionDetailView>(
      'GET',
      `/api/v1/models/${seg(model)}/versions/${seg(ref)}`,
    );
    if (options.json) return printJson(ctx.io, v);
    return showVersion(ctx, v);
  }
  const m = await client.json<ModelView & { aliases: AliasView[]; latestVersion: number | null }>(
    'GET',
    `/api/v1/models/${seg(model)}`,
  );
  const versions = await client.json<Page<VersionView>>(
    'GET',
    `/api/v1/models/${seg(model)}/versions?limit=20${options.deleted ? '&deleted=include' : ''}`,
  );
  if (options.json) return printJson(ctx.io, { ...m, versions: versions.items });
  printFields(ctx.io, [
    ['name', m.name],
    ['description', m.description],
    ['owner', m.owner],
    ['tags', m.tags.join(', ')],
    ['created', `${m.createdAt} by ${actorLabel(m.createdBy, m.createdByName)}`],
    ['aliases', m.aliases.map((a) => `${a.name} → ${a.version}`).join(', ')],
  ]);
  ctx.io.stdout.write('\n');
  printTable(
    ctx.io,
    ['VERSION', 'DIGEST', 'FORMAT', 'SIZE', 'FILES', 'ALIASES', 'CREATED'],
    versions.items.map((v) => [
      v.number,
      shortDigest(v.digest),
      v.format,
      humanBytes(v.size),
      v.fileCount,
      v.deleted ? `(deleted ${v.deleted.at})` : v.aliases.join(','),
      v.createdAt,
    ]),
  );
}

function showVersion(ctx: CliContext, v: VersionDetailView): void {
  const parent = v.lineage.parent ? `${v.lineage.parent.model}@${v.lineage.parent.number}` : null;
  printFields(ctx.io, [
    ['model', v.model],
    ['version', v.number],
    ['digest', v.digest],
    ['kind', v.kind],
    ['format', v.format],
    ['size', `${humanBytes(v.size)} (${v.size} bytes)`],
    ['aliases', v.aliases.join(', ')],
    ['created', `${v.createdAt} by ${actorLabel(v.createdBy, v.createdByName)}`],
    [
      'deleted',
      v.deleted
        ? `${v.deleted.at} by ${actorLabel(v.deleted.by, v.deleted.byName)}: ${v.deleted.reason} (files destroyed)`
        : null,
    ],
    [
      'metrics',
      Object.entries(v.metrics)
        .map(([k, n]) => `${k}=${n}`)
        .join(' '),
    ],
    ['params', Object.keys(v.params).length ? JSON.stringify(v.params) : null],
    [
      'metadata',
      Object.entries(v.metadata)
        .map(([k, s]) => `${k}=${s}`)
        .join(' '),
    ],
    ['datasets', v.lineage.datasetDigests.join(', ')],
    ['training run', v.lineage.trainingRun],
    ['parent', parent],
    ['source commit', v.lineage.sourceCommit],
    [
      'pickle scan',
      v.scan
        ? `${v.scan.severity} (${v.scan.files.length} file${v.scan.files.length === 1 ? '' : 's'} scanned)`
        : 'no file that could hold a pickle',
    ],
    ['signed for', v.signedFor.length ? v.signedFor.join(', ') : null],
    [
      'signatures',
      v.signatures.length
        ? v.signatures
            .map(
              (s) =>
                `${s.signer}: ${s.status}${s.status === 'verified' ? '' : ` (${s.detail})`}${s.environments.length ? ` [${s.environments.join(', ')}]` : ''}`,
            )
            .join('; ')
        : 'none',
    ],
  ]);
  if (v.ioSignature) {
    const fmt = (t: { name: string; dtype: string; shape: unknown[] | null }) =>
      `${t.name} ${t.dtype}${t.shape ? `[${t.shape.join(',')}]` : ''}`;
    printFields(ctx.io, [
      ['inputs', v.ioSignature.inputs.map(fmt).join('; ')],
      ['outputs', v.ioSignature.outputs.map(fmt).join('; ')],
    ]);
  }
  ctx.io.stdout.write('\n');
  printTable(
    ctx.io,
    ['FILE', 'SIZE', 'DIGEST'],
    v.files.map((f) => [f.path, humanBytes(f.size), f.digest]),
  );
}
