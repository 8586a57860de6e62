import { Link, useParams } from 'react-router';
import { QueryResultView } from '../app/query-result-view';
import { AttestationsSection } from './attestations-section';
import { IoSignatureSection } from './io-signature-section';
import { LineageGraph } from './lineage-graph';
import { modelPath } from './model-paths';
import { useVersion } from './models-queries';
import { ScanSection } from './scan-section';
import { SignaturesSection } from './signatures-section';
import { TombstoneNotice } from './tombstone-notice';
import { VersionFacts } from './version-facts';
import { VersionFiles } from './version-files';
import { VersionRecords } from './version-records';

/** `/models/:name/versions/:ref`: one version in full (`ref`: a number, a digest or an alias). */
export function VersionPage() {
  const params = useParams();
  const name = params.name ?? '';
  const ref = params.ref ?? '';
  const version = useVersion(name, ref);
  const v = version.data;
  return (
    <section>
      <p className="breadcrumb">
        <Link to="/models">Models</Link> / <Link to={modelPath(name)}>{name}</Link>
      </p>
      <h1>
        {name} {v ? `v${v.number}` : ref}
      </h1>
      <QueryResultView query={version} what="version">
        {(v) => (
          <>
            {v.deleted && <TombstoneNotice deleted={v.deleted} />}
            <VersionFacts version={v} />
            <section aria-labelledby="version-lineage-heading">
              <h2 id="version-lineage-heading">Lineage</h2>
              <LineageGraph version={{ model: v.model, number: v.number }} lineage={v.lineage} />
            </section>
            <VersionFiles files={v.files} />
            <IoSignatureSection signature={v.ioSignature} />
            <SignaturesSection signatures={v.signatures} signedFor={v.signedFor} />
            <ScanSection scan={v.scan} />
            <AttestationsSection name={v.model} number={v.number} />
            <VersionRecords version={v} />
          </>
        )}
      </QueryResultView>
    </section>
  );
}
