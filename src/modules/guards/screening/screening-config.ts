import type { ScreeningRule, ScreeningVerdict, TextOrigin } from './screening-types.js';

/** Per-deployment settings of text screening. `resolveScreeningConfig` fills in the defaults. */
export interface ScreeningConfig {
  /** Score at or above which a text is flagged (recorded, let through). */
  readonly flagAt: number;
  /** Score at or above which a text is blocked. */
  readonly blockAt: number;
  /** `monitor` never blocks: a text that would be blocked is flagged, with `wouldBlock: true`. */
  readonly mode: 'enforce' | 'monitor';
  /** Longer inputs are screened up to this many characters and the result carries `input-size`. */
  readonly maxInputChars: number;
  /** What a text that was only partly screened (a limit reached) gets at least. */
  readonly onLimit: ScreeningVerdict;
  readonly rules: RulesConfig;
  readonly decode: DecodeConfig;
  readonly classifier: ClassifierConfig;
  /** Chat roles screened by `screenMessages`, and whether their content is the user's or untrusted. */
  readonly messageRoles: Readonly<Record<string, TextOrigin>>;
}

export interface RulesConfig {
  /** Built-in rule ids to switch off. */
  readonly disabled: readonly string[];
  /** Weight overrides by rule id (0 < weight ≤ 1), for both origins. */
  readonly weights: Readonly<Record<string, number>>;
  /** A verdict a rule forces whatever the score (`{ 'role_override.dan': 'block' }`). */
  readonly actions: Readonly<Record<string, 'flag' | 'block'>>;
  /** The deployment's own rules (same contract as the built-in ones: linear-time patterns). */
  readonly extra: readonly ScreeningRule[];
  readonly maxSpansPerRule: number;
}

export interface DecodeConfig {
  /** How deep encodings are followed (base64 inside URL-encoding is depth 2). 0 turns decoding off. */
  readonly maxDepth: number;
  /** At most this many payloads are decoded per text. */
  readonly maxPayloads: number;
  /** Decoded text screened per input, in all, in characters. */
  readonly maxDecodedChars: number;
  /** Candidate runs checked per text (each is decoded and tested for readable text). */
  readonly maxCandidates: number;
  /** Shortest base64 or hex run considered. */
  readonly minEncodedLength: number;
  /** Characters of decoded text kept in the result. */
  readonly previewChars: number;
}

export interface ClassifierConfig {
  /** The classifier's score is multiplied by this before it is combined (0 ignores the classifier). */
  readonly weight: number;
  /** `max`: the higher of the two scores; `noisy-or`: 1 − (1 − rules)(1 − classifier). */
  readonly combine: 'max' | 'noisy-or';
  /** `always`; `unless-blocked`: skip it when the rules already block; `when-flagged`: only to confirm a flag. */
  readonly run: 'always' | 'unless-blocked' | 'when-flagged';
  readonly timeoutMs: number;
  /** The least verdict when the classifier throws, times out or answers something that is not in [0, 1]. */
  readonly onError: ScreeningVerdict;
  /** Characters of each text passed to the classifier. */
  readonly maxChars: number;
  /** Texts classified per input: the input, then decoded payloads. */
  readonly maxCalls: number;
}

export type ScreeningConfigInput = Partial<
  Omit<ScreeningConfig, 'rules' | 'decode' | 'classifier'> & {
    rules: Partial<RulesConfig>;
    decode: Partial<DecodeConfig>;
    classifier: Partial<ClassifierConfig>;
  }
>;

export const defaultScreeningConfig: ScreeningConfig = Object.freeze({
  flagAt: 0.5,
  blockAt: 0.85,
  mode: 'enforce',
  maxInputChars: 1_000_000,
  onLimit: 'flag',
  rules: Object.freeze({ disabled: [], weights: {}, actions: {}, extra: [], maxSpansPerRule: 4 }),
  decode: Object.freeze({
    maxDepth: 3,
    maxPayloads: 16,
    maxDecodedChars: 65_536,
    maxCandidates: 256,
    minEncodedLength: 16,
    previewChars: 200,
  }),
  classifier: Object.freeze({
    weight: 1,
    combine: 'max',
    run: 'unless-blocked',
    timeoutMs: 500,
    onError: 'allow',
    maxChars: 4096,
    maxCalls: 4,
  }),
  messageRoles: Object.freeze({ user: 'user', tool: 'untrusted', function: 'untrusted' }),
}) as ScreeningConfig;

const verdicts: readonly ScreeningVerdict[] = ['allow', 'flag', 'block'];

/** Every problem with a configuration, at once (empty when it is usable). */
export function screeningConfigProblems(
  config: ScreeningConfig,
  knownRuleIds: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const unit = (name: string, v: number, open = false) => {
    if (!Number.isFinite(v) || v > 1 || (open ? v <= 0 : v < 0)) {
      problems.push(`${name} must be a number in ${open ? '(0, 1]' : '[0, 1]'}`);
    }
  };
  const count = (name: string, v: number, min: number) => {
    if (!Number.isInteger(v) || v < min) problems.push(`${name} must be an integer ≥ ${min}`);
  };
  unit('flagAt', config.flagAt, true);
  unit('blockAt', config.blockAt, true);
  if (config.flagAt > config.blockAt) problems.push('flagAt must not be above blockAt');
  if (config.mode !== 'enforce' && config.mode !== 'monitor')
    problems.push('mode must be enforce or monitor');
  if (!verdicts.includes(config.onLimit)) problems.push('onLimit must be allow, flag or block');
  count('maxInputChars', config.maxInputChars, 1);
  count('rules.maxSpansPerRule', config.rules.maxSpansPerRule, 1);
  const ids = new Set(knownRuleIds);
  for (const rule of config.rules.extra) {
    if (!/^[a-z0-9_]+(?:\.[a-z0-9_]+)+$/.test(rule.id))
      problems.push(`rules.extra: id ${rule.id} must be dotted lower case`);
    if (ids.has(rule.id)) problems.push(`rules.extra: id ${rule.id} is used twice`);
    ids.add(rule.id);
    unit(`rules.extra ${rule.id}: weight`, rule.weight, true);
    if (rule.untrustedWeight !== undefined)
      unit(`rules.extra ${rule.id}: untrustedWeight`, rule.untrustedWeight, true);
    if (!(rule.pattern instanceof RegExp)) problems.push(`rules.extra ${rule.id}: pattern must be a RegExp`);
    for (const word of rule.words ?? []) {
      if (!/^[a-z0-9_]+$/.test(word))
        problems.push(`rules.extra ${rule.id}: anchor word "${word}" must be [a-z0-9_]+`);
    }
    if ((rule.substrings ?? []).some((s) => s === ''))
      problems.push(`rules.extra ${rule.id}: an anchor substring is empty`);
  }
  for (const id of config.rules.disabled) if (!ids.has(id)) problems.push(`rules.disabled: no rule ${id}`);
  for (const [id, w] of Object.entries(config.rules.weights)) {
    if (!ids.has(id)) problems.push(`rules.weights: no rule ${id}`);
    unit(`rules.weights ${id}`, w, true);
  }
  for (const [id, action] of Object.entries(config.rules.actions)) {
    if (!ids.has(id)) problems.push(`rules.actions: no rule ${id}`);
    if (action !== 'flag' && action !== 'block') problems.push(`rules.actions ${id}: must be flag or block`);
  }
  const d = config.decode;
  count('decode.maxDepth', d.maxDepth, 0);
  count('decode.maxPayloads', d.maxPayloads, 0);
  count('decode.maxDecodedChars', d.maxDecodedChars, 0);
  count('decode.maxCandidates', d.maxCandidates, 0);
  count('decode.minEncodedLength', d.minEncodedLength, 8);
  count('decode.previewChars', d.previewChars, 0);
  const c = config.classifier;
  unit('classifier.weight', c.weight);
  if (c.combine !== 'max' && c.combine !== 'noisy-or')
    problems.push('classifier.combine must be max or noisy-or');
  if (!['always', 'unless-blocked', 'when-flagged'].includes(c.run)) {
    problems.push('classifier.run must be always, unless-blocked or when-flagged');
  }
  count('classifier.timeoutMs', c.timeoutMs, 1);
  if (!verdicts.includes(c.onError)) problems.push('classifier.onError must be allow, flag or block');
  count('classifier.maxChars', c.maxChars, 1);
  count('classifier.maxCalls', c.maxCalls, 1);
  for (const [role, origin] of Object.entries(config.messageRoles)) {
    if (origin !== 'user' && origin !== 'untrusted')
      problems.push(`messageRoles.${role} must be user or untrusted`);
  }
  return problems;
}

/** The defaults with `input` laid over them (one level deep for rules, decode and classifier). */
export function mergeScreeningConfig(input: ScreeningConfigInput = {}): ScreeningConfig {
  const d = defaultScreeningConfig;
  return Object.freeze({
    ...d,
    ...input,
    rules: Object.freeze({ ...d.rules, ...input.rules }),
    decode: Object.freeze({ ...d.decode, ...input.decode }),
    classifier: Object.freeze({ ...d.classifier, ...input.classifier }),
    messageRoles: Object.freeze({ ...(input.messageRoles ?? d.messageRoles) }),
  });
}
