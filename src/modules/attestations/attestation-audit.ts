import type { AuditedAction } from '../policy/index.js';
import type { AttestationEvent } from './attestation.events.js';

const sha = (hex: string) => `sha256:${hex}`;

/**
 * How an attestation event reads in the audit log. The wording (action, resource, detail keys) is what
 * operators and their tools search for: it changes only together with docs/audit.md and docs/attestations.md.
 */
export function describeAttestationEvent(e: AttestationEvent): AuditedAction {
  switch (e.type) {
    case 'attestation.created':
      return {
        action: 'attestation:create',
        resource: `version:${e.model.name}@${e.version}`,
        team: e.model.owner,
        details: {
          attestation: e.attestation.id,
          type: e.attestation.type,
          format: e.attestation.format,
          tool: e.attestation.tool,
          digest: sha(e.attestation.digest),
          findings: e.attestation.findings,
          maxSeverity: e.attestation.maxSeverity,
          versionDigest: sha(e.versionDigest),
        },
      };
  }
}
