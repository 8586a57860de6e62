import {
  type DetailedError,
  policySetTextToParts,
  policyToJson,
  type SchemaJson,
  validate,
} from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyProblem } from '../../modules/policy/index.js';
import { locate } from './source-location.js';

/** One policy file: `id` names it in every message (a path, or `builtin:roles.cedar`). */
export interface PolicySource {
  id: string;
  text: string;
}

export interface LoadedPolicy {
  id: string;
  file: string;
  effect: 'permit' | 'forbid';
  line: number;
  column: number;
}

/** Validates one file against the schema and splits it into policies with ids and locations. */
export function parsePolicyFile(
  source: PolicySource,
  schema: SchemaJson<string>,
  problems: PolicyProblem[],
  warnings: PolicyProblem[],
): (LoadedPolicy & { text: string })[] {
  const { id: file, text } = source;
  const validation = validate({
    schema,
    policies: { staticPolicies: text },
    validationSettings: { mode: 'strict' },
  });
  if (validation.type === 'failure') {
    problems.push(...validation.errors.map((e) => problemOf(file, text, e)));
    return [];
  }
  const parts = policySetTextToParts(text);
  if (parts.type === 'failure') {
    problems.push(...parts.errors.map((e) => problemOf(file, text, e)));
    return [];
  }
  if (parts.policy_templates.length > 0) {
    problems.push({ file, message: 'policy templates (?principal / ?resource slots) are not supported' });
    return [];
  }
  // Cedar names the policies of a text policy0, policy1… in source order, and hands the parts back sorted
  // by that name; sorting the same names the same way pairs each part with its position.
  const positional = parts.policies.map((_, n) => `policy${n}`).sort();
  const ordered: { n: number; text: string }[] = parts.policies
    .map((policyText, i) => ({ n: Number(positional[i]?.slice('policy'.length)), text: policyText }))
    .sort((a, b) => a.n - b.n);

  const policies: (LoadedPolicy & { text: string })[] = [];
  const idOf = new Map<string, string>();
  let cursor = 0;
  for (const { n, text: policyText } of ordered) {
    const offset = text.indexOf(policyText, cursor);
    if (offset >= 0) cursor = offset + policyText.length;
    const { line, column } = locate(text, offset >= 0 ? offset : 0, 'chars');
    const json = policyToJson(policyText);
    const annotated = json.type === 'success' ? json.json.annotations?.id : undefined;
    const id = annotated ?? `${file}#${n}`;
    if (annotated !== undefined && annotated.trim() === '')
      problems.push({ file, line, column, message: 'the @id annotation is empty' });
    idOf.set(`policy${n}`, id);
    policies.push({
      id,
      file,
      line,
      column,
      effect: json.type === 'success' ? json.json.effect : 'permit',
      text: policyText,
    });
  }
  const located = (list: { policyId: string; error: DetailedError }[]) =>
    list.map(({ policyId, error }) => {
      const id = idOf.get(policyId) ?? policyId;
      const problem = problemOf(file, text, error);
      // Cedar names the policy by its position ("for policy `policy2`, …"); the problem carries its id.
      problem.message = problem.message.replaceAll(/for policy `policy\d+`, /g, '');
      return { ...problem, policyId: id };
    });
  const errors = located(validation.validationErrors);
  problems.push(...errors);
  // A policy that can never apply is always a mistake, and a silent one: a forbid written that way protects
  // nothing. Cedar calls it a warning; Warden refuses it (unless it is the echo of an error already listed).
  // Other warnings (mixed scripts…) only warn.
  for (const w of located(validation.validationWarnings)) {
    if (!neverApplies.test(w.message)) warnings.push(w);
    else if (!errors.some((e) => e.policyId === w.policyId)) problems.push(w);
  }
  warnings.push(...validation.otherWarnings.map((e) => problemOf(file, text, e)));
  return policies;
}

const neverApplies = /^(policy is impossible|unable to find an applicable action)/;

/** A Cedar error as a problem: its first source location (a byte offset) as line and column. */
export function problemOf(file: string, text: string, error: DetailedError): PolicyProblem {
  const at = error.sourceLocations?.[0];
  const message = [error.message, ...(error.related ?? []).map((r) => r.message)].join('; ');
  const problem: PolicyProblem = { file, message: error.help ? `${message} (${error.help})` : message };
  if (at === undefined) return problem;
  const { line, column } = locate(text, at.start, 'bytes');
  const label = at.label ? `: ${at.label}` : '';
  return { ...problem, line, column, message: `${problem.message}${label}` };
}
