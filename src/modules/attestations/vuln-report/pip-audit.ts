import type { VulnSummary } from '../attestation.types.js';
import { childPath, type JsonObject, shapeOf } from './shape.js';
import { createTally } from './tally.js';

/**
 * `pip-audit -f json` (pip-audit 2.x: `{dependencies, fixes}`): one finding per entry of a dependency's
 * `vulns`. pip-audit reports no severity, so every finding is ranked **high** (fail-closed: an advisory of
 * unknown severity is treated as serious until someone looks). A dependency pip-audit skipped
 * (`skip_reason`: not on PyPI, a local package) has no findings.
 */
export function summarizePipAudit(doc: JsonObject): VulnSummary {
  const shape = shapeOf('pip-audit');
  const dependencies = shape.array(doc.dependencies, '$.dependencies');
  const tally = createTally();
  dependencies.forEach((value, i) => {
    const at = childPath('$.dependencies', i);
    const dependency = shape.object(value, at);
    shape.string(dependency.name, childPath(at, 'name'));
    if (dependency.skip_reason !== undefined && dependency.vulns === undefined) {
      shape.string(dependency.skip_reason, childPath(at, 'skip_reason'));
      return;
    }
    const vulns = shape.array(dependency.vulns, childPath(at, 'vulns'));
    vulns.forEach((v, j) => {
      const vulnAt = childPath(childPath(at, 'vulns'), j);
      const vuln = shape.object(v, vulnAt);
      const id = shape.string(vuln.id, childPath(vulnAt, 'id'));
      const aliases = shape
        .array(vuln.aliases, childPath(vulnAt, 'aliases'), { optional: true })
        .map((a, k) => shape.string(a, childPath(childPath(vulnAt, 'aliases'), k)));
      tally.add('high', [id, ...aliases]);
    });
  });
  return tally.summary('pip-audit', 'pip-audit');
}
