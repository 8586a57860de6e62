import { createHash } from 'node:crypto';
import { canonicalJson } from '../../platform/canonical-json.js';
import type { Principal } from '../../platform/principal.js';
import type { CandidateFacts, GateContext, GateEngine } from '../policy/index.js';
import type { ModelRecord, VersionRecord } from '../registry/index.js';
import { type Severity, severities } from '../scanning/index.js';
import type { SignatureVerifier, SignerRecord, VersionSignatureRecord } from '../signing/index.js';
import type { GateResult, GateVerdict, VulnerabilityEvidence } from './deploy.types.js';
import type { DeployEnvironment } from './environment.js';

const rank = (s: Severity): number => severities.indexOf(s);

/** A signature as the signature gate weighs it: valid only by a signer that is not revoked, verified now. */
export interface SignatureEvidence {
  signer: string;
  environments: string[];
  valid: boolean;
  detail: string;
}

/** Re-verifies each signature of a version against its signer as the keyring has it on this transaction. */
export function signatureEvidence(
  records: readonly { record: VersionSignatureRecord; signer: SignerRecord }[],
  digest: string,
  verifier: SignatureVerifier,
): SignatureEvidence[] {
  return records.map(({ record, signer }) => {
    const base = { signer: signer.name, environments: [...signer.environments] };
    if (signer.revokedAt !== null)
      return { ...base, valid: false, detail: `signer revoked at ${signer.revokedAt}` };
    if (record.status !== 'verified') return { ...base, valid: false, detail: record.detail };
    const again = verifier.recheck(record.bundle, signer, digest);
    return { ...base, valid: again.ok, detail: again.detail };
  });
}

export interface GateInputs {
  environment: DeployEnvironment;
  model: ModelRecord;
  version: VersionRecord;
  signatures: SignatureEvidence[];
  vulnerabilities: VulnerabilityEvidence;
}

/** Which of the environment's metric thresholds the version misses, with what it has. */
function metricChecks(env: DeployEnvironment, metrics: Record<string, number>) {
  return Object.entries(env.metrics).map(([name, t]) => {
    const value = Object.hasOwn(metrics, name) ? metrics[name] : undefined;
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (t.min === undefined || value >= t.min) &&
      (t.max === undefined || value <= t.max);
    return { metric: name, value: value ?? null, ...t, ok };
  });
}

/** The Candidate entity's facts, and the evidence each built-in gate shows for them. */
export function candidateOf(inputs: GateInputs): {
  facts: CandidateFacts;
  context: GateContext;
  evidence: Record<string, Record<string, unknown>>;
} {
  const { environment: env, model, version, signatures, vulnerabilities } = inputs;
  const valid = signatures.filter((s) => s.valid);
  const signedFor = [...new Set(valid.flatMap((s) => s.environments))].sort();
  const metrics = metricChecks(env, version.metrics);
  const scanSeverity = version.scan?.severity ?? 'none';
  const facts: CandidateFacts = {
    environment: env.name,
    model: { name: model.name, owner: model.owner, tags: model.tags },
    number: version.number,
    digest: version.digest,
    signed: valid.length > 0,
    signers: valid.map((s) => s.signer).sort(),
    signedFor,
    scanSeverity: rank(scanSeverity),
    vulnReports: vulnerabilities.reports,
    vulnSeverity: rank(vulnerabilities.maxSeverity),
    metricsFailing: metrics.filter((m) => !m.ok).map((m) => m.metric),
    datasets: version.lineage.datasetDigests.length,
    hasTrainingRun: version.lineage.trainingRun !== null,
    hasSourceCommit: version.lineage.sourceCommit !== null,
    metrics: Object.fromEntries(
      Object.entries(version.metrics).filter(([, v]) => typeof v === 'number' && Number.isFinite(v)),
    ),
  };
  const context: GateContext = {
    environment: env.name,
    maxScanSeverity: rank(env.maxScanSeverity),
    maxVulnSeverity: rank(env.maxVulnSeverity),
    requireVulnReport: env.requireVulnReport,
    requireDatasets: env.requireDatasets,
    requireTrainingRun: env.requireTrainingRun,
    requireSourceCommit: env.requireSourceCommit,
  };
  const evidence: Record<string, Record<string, unknown>> = {
    signature: {
      signatures: signatures.map((s) => ({
        signer: s.signer,
        environments: s.environments,
        valid: s.valid,
        detail: s.detail,
      })),
      signedFor,
    },
    scan: { severity: scanSeverity, maxAllowed: env.maxScanSeverity, files: version.scan?.files.length ?? 0 },
    metrics: { thresholds: metrics },
    provenance: {
      datasets: facts.datasets,
      trainingRun: version.lineage.trainingRun,
      sourceCommit: version.lineage.sourceCommit,
      required: {
        datasets: env.requireDatasets,
        trainingRun: env.requireTrainingRun,
        sourceCommit: env.requireSourceCommit,
      },
    },
    vulnerabilities: {
      reports: vulnerabilities.reports,
      findings: vulnerabilities.findings,
      severity: vulnerabilities.maxSeverity,
      maxAllowed: env.maxVulnSeverity,
      reportRequired: env.requireVulnReport,
    },
  };
  return { facts, context, evidence };
}

/**
 * Every gate the environment applies, decided by the gate policies, with the evidence used: one verdict per
 * gate and a hash of them all (what approvals are bound to). A gate no policy defines fails.
 */
export function evaluateGates(engine: GateEngine, principal: Principal, inputs: GateInputs): GateResult {
  const { facts, context, evidence } = candidateOf(inputs);
  const gates: GateVerdict[] = inputs.environment.gates.map((gate) => {
    const decision = engine.decide(gate, principal, facts, context);
    return {
      gate,
      passed: decision.passed,
      policies: [...decision.policies],
      evidence: evidence[gate] ?? { candidate: operatorEvidence(facts) },
      errors: [...decision.errors],
    };
  });
  const body = { environment: inputs.environment.name, digest: inputs.version.digest, gates };
  return {
    ...body,
    passed: gates.every((g) => g.passed),
    hash: createHash('sha256').update(canonicalJson(body)).digest('hex'),
  };
}

/** What an operator's own gate saw: the candidate's attributes (its metrics included). */
function operatorEvidence(facts: CandidateFacts): Record<string, unknown> {
  const { model, ...rest } = facts;
  return { ...rest, model: model.name };
}
