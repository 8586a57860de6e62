import { useId } from 'react';
import { Link, useNavigate } from 'react-router';
import { type LineageNode, layoutLineage, lineageBox } from './lineage-layout';
import { versionPath } from './model-paths';
import type { Lineage } from './models-types';

const kindWords: Record<LineageNode['kind'], string> = {
  dataset: 'Dataset',
  commit: 'Source commit',
  run: 'Training run',
  version: 'This version',
  parent: 'Derived from',
};

/**
 * A version's lineage as a graph (datasets and commit → run → version → parent version), drawn in SVG with
 * every node a text label, and the same facts as a list for screen readers and keyboards (whose links the
 * picture's clickable parent node duplicates).
 */
export function LineageGraph({
  version,
  lineage,
}: {
  version: { model: string; number: number };
  lineage: Lineage;
}) {
  const id = useId();
  const navigate = useNavigate();
  const layout = layoutLineage(version, lineage);
  const byId = new Map(layout.nodes.map((n) => [n.id, n]));
  const { width, height } = lineageBox;
  const alone = layout.nodes.length === 1;
  return (
    <figure className="lineage">
      {alone ? (
        <p className="empty">
          No lineage recorded: no datasets, training run, source commit or parent version.
        </p>
      ) : (
        <div className="graph-wrap">
          <svg
            role="img"
            aria-labelledby={`${id}-title`}
            viewBox={`0 0 ${layout.width} ${layout.height}`}
            width={layout.width}
            height={layout.height}
          >
            <title id={`${id}-title`}>
              Lineage of {version.model} v{version.number}: {layout.nodes.map((n) => n.full).join(', ')}
            </title>
            <defs>
              <marker
                id={`${id}-arrow`}
                viewBox="0 0 10 10"
                refX="10"
                refY="5"
                markerWidth="8"
                markerHeight="8"
                orient="auto"
              >
                <path d="M0,0 L10,5 L0,10 z" fill="#4f5660" />
              </marker>
            </defs>
            {layout.edges.map((e) => {
              const from = byId.get(e.from);
              const to = byId.get(e.to);
              if (!from || !to) return null;
              return (
                <line
                  key={`${e.from}-${e.to}`}
                  x1={from.x + width}
                  y1={from.y + height / 2}
                  x2={to.x - 2}
                  y2={to.y + height / 2}
                  stroke="#4f5660"
                  strokeWidth={1.5}
                  markerEnd={`url(#${id}-arrow)`}
                />
              );
            })}
            {layout.nodes.map((n) => {
              const { parent } = n;
              return (
                // biome-ignore lint/a11y/noStaticElementInteractions: a mouse shortcut; keyboards and screen readers follow the list's link below.
                <g
                  key={n.id}
                  className={`node ${n.kind}${parent ? ' link' : ''}`}
                  onClick={parent ? () => navigate(versionPath(parent.model, parent.number)) : undefined}
                >
                  <rect x={n.x} y={n.y} width={width} height={height} rx={6} />
                  <text x={n.x + 8} y={n.y + 15} className="kind">
                    {kindWords[n.kind]}
                  </text>
                  <text x={n.x + 8} y={n.y + 32}>
                    {n.label}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      )}
      {!alone && (
        <figcaption>
          <ul className="lineage-list" aria-label={`Lineage of ${version.model} v${version.number}`}>
            {layout.nodes
              .filter((n) => n.kind !== 'version')
              .map((n) => (
                <li key={n.id}>
                  {kindWords[n.kind]}:{' '}
                  {n.parent ? (
                    <Link to={versionPath(n.parent.model, n.parent.number)}>{n.full}</Link>
                  ) : (
                    <code>{n.full}</code>
                  )}
                </li>
              ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
