import { QueryResultView } from '../app/query-result-view';
import { LineageGraph } from './lineage-graph';
import { useVersion } from './models-queries';

/** The model page's lineage: that of its latest version. */
export function LatestLineage({ name, latest }: { name: string; latest: number | null }) {
  return (
    <section aria-labelledby="lineage-heading">
      <h2 id="lineage-heading">Lineage{latest !== null && ` of v${latest}`}</h2>
      {latest === null ? <p className="empty">No versions yet.</p> : <Lineage name={name} number={latest} />}
    </section>
  );
}

function Lineage({ name, number }: { name: string; number: number }) {
  const version = useVersion(name, String(number));
  return (
    <QueryResultView query={version} what="lineage">
      {(v) => <LineageGraph version={{ model: v.model, number: v.number }} lineage={v.lineage} />}
    </QueryResultView>
  );
}
