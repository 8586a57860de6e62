import type { Lineage } from './models-types';

export type LineageNodeKind = 'dataset' | 'commit' | 'run' | 'version' | 'parent';

export interface LineageNode {
  id: string;
  kind: LineageNodeKind;
  /** What the node shows (shortened); `full` is the whole value. */
  label: string;
  full: string;
  x: number;
  y: number;
  /** For the parent: the version it links to. */
  parent?: { model: string; number: number };
}

export interface LineageEdge {
  from: string;
  to: string;
}

export const lineageBox = { width: 180, height: 40, columnGap: 60, rowGap: 16, margin: 8 };

const short = (text: string, max = 22) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Lays the lineage out in columns, left to right: datasets and the source commit, the training run, this
 * version, the version it was derived from. An empty column is left out, and the arrows close the gap.
 */
export function layoutLineage(version: { model: string; number: number }, lineage: Lineage) {
  const inputs: Omit<LineageNode, 'x' | 'y'>[] = [
    ...lineage.datasetDigests.map((d, i) => ({
      id: `dataset-${i}`,
      kind: 'dataset' as const,
      label: `dataset ${short(d.replace(/^sha256:/, ''), 12)}`,
      full: d,
    })),
    ...(lineage.sourceCommit
      ? [
          {
            id: 'commit',
            kind: 'commit' as const,
            label: `commit ${lineage.sourceCommit.slice(0, 10)}`,
            full: lineage.sourceCommit,
          },
        ]
      : []),
  ];
  const run = lineage.trainingRun
    ? [
        {
          id: 'run',
          kind: 'run' as const,
          label: `run ${short(lineage.trainingRun, 18)}`,
          full: lineage.trainingRun,
        },
      ]
    : [];
  const self = [
    {
      id: 'version',
      kind: 'version' as const,
      label: `${short(version.model, 16)} v${version.number}`,
      full: `${version.model} v${version.number}`,
    },
  ];
  const { parent } = lineage;
  const parents = parent
    ? [
        {
          id: 'parent',
          kind: 'parent' as const,
          label: `${short(parent.model, 16)} v${parent.number}`,
          full: `${parent.model} v${parent.number} (${parent.digest})`,
          parent: { model: parent.model, number: parent.number },
        },
      ]
    : [];
  const columns = [inputs, run, self, parents].filter((c) => c.length > 0);
  const tallest = Math.max(...columns.map((c) => c.length));
  const { width, height, columnGap, rowGap, margin } = lineageBox;
  const totalHeight = tallest * height + (tallest - 1) * rowGap;
  const nodes: LineageNode[] = columns.flatMap((column, ci) => {
    const columnHeight = column.length * height + (column.length - 1) * rowGap;
    const top = margin + (totalHeight - columnHeight) / 2;
    return column.map((n, ri) => ({
      ...n,
      x: margin + ci * (width + columnGap),
      y: top + ri * (height + rowGap),
    }));
  });
  const edges: LineageEdge[] = [];
  for (let ci = 0; ci + 1 < columns.length; ci++)
    for (const from of columns[ci] ?? [])
      for (const to of columns[ci + 1] ?? []) edges.push({ from: from.id, to: to.id });
  return {
    nodes,
    edges,
    width: margin * 2 + columns.length * width + (columns.length - 1) * columnGap,
    height: margin * 2 + totalHeight,
  };
}
