import { builtinRules, signalRules } from './builtin-rules.js';
import { findEncodedRuns } from './decode-payloads.js';
import { embedsDocument } from './document-context.js';
import { createNormalizer, sourceSpan } from './normalize-text.js';
import { buildRuleSet, combineWeights, compileRule, matchRules } from './rule-engine.js';
import {
  mergeScreeningConfig,
  type ScreeningConfig,
  type ScreeningConfigInput,
  screeningConfigProblems,
} from './screening-config.js';
import type {
  DecodedPayload,
  PayloadEncoding,
  RuleHit,
  ScreeningLimit,
  ScreeningResult,
  ScreeningVerdict,
  TextClassifier,
  TextOrigin,
  TextSpan,
} from './screening-types.js';

export interface ScreenOptions {
  /** `untrusted` for content passed along rather than typed (tool results, documents): indirect-injection rules weigh more. */
  readonly origin?: TextOrigin;
}

/** A chat message as gateways see it: text content, or parts of which the `text` ones are screened. */
export interface ScreenableMessage {
  readonly role: string;
  readonly content: string | null | readonly { readonly type: string; readonly text?: string }[];
}

export interface MessageVerdict {
  readonly index: number;
  readonly role: string;
  readonly verdict: ScreeningVerdict;
  readonly score: number;
}

/** The screening of a conversation: the worst message decides; hits and payloads carry `message`. */
export interface MessagesScreeningResult extends ScreeningResult {
  readonly messages: readonly MessageVerdict[];
}

export interface TextScreener {
  readonly config: ScreeningConfig;
  /** Normalization, decoding and rules only: synchronous, no classifier. */
  screenRules(text: string, options?: ScreenOptions): ScreeningResult;
  /** The full pipeline, with the classifier when one was given. */
  screen(text: string, options?: ScreenOptions): Promise<ScreeningResult>;
  /** Screens the messages whose role is in `config.messageRoles`. */
  screenMessages(messages: readonly ScreenableMessage[]): Promise<MessagesScreeningResult>;
}

const rank: Record<ScreeningVerdict, number> = { allow: 0, flag: 1, block: 2 };
const worse = (a: ScreeningVerdict, b: ScreeningVerdict): ScreeningVerdict => (rank[b] > rank[a] ? b : a);
const MAX_HITS = 256;

/** Every built-in rule id and signal id: what `rules.disabled`, `weights` and `actions` may name. */
export const builtinRuleIds: readonly string[] = [
  ...builtinRules.map((r) => r.id),
  ...Object.values(signalRules).map((s) => s.id),
];

/** Applies the defaults to `input` and checks it; throws a RangeError listing every problem. */
export function resolveScreeningConfig(input?: ScreeningConfigInput): ScreeningConfig {
  const config = mergeScreeningConfig(input);
  const problems = screeningConfigProblems(config, new Set(builtinRuleIds));
  if (problems.length > 0) throw new RangeError(`invalid screening config: ${problems.join('; ')}`);
  return config;
}

interface Core {
  readonly result: ScreeningResult;
  /** The full decoded texts, parallel to `result.decoded` (the classifier reads them). */
  readonly decodedTexts: readonly string[];
  readonly input: string;
}

interface Pending {
  readonly text: string;
  readonly depth: number;
  /** The outermost encoded run in the input (for depth ≥ 1). */
  readonly outer: TextSpan | null;
  /** Index in `decoded` (for depth ≥ 1). */
  readonly index: number | undefined;
}

export function createTextScreener(input?: ScreeningConfigInput, classifier?: TextClassifier): TextScreener {
  const config = resolveScreeningConfig(input);
  const normalize = createNormalizer();
  const disabled = new Set(config.rules.disabled);
  const weightOf = (id: string, fallback: number) => config.rules.weights[id] ?? fallback;
  const rules = buildRuleSet(
    [...builtinRules, ...config.rules.extra]
      .filter((rule) => !disabled.has(rule.id))
      .map((rule) => {
        const override = config.rules.weights[rule.id];
        return override === undefined ? compileRule(rule) : compileRule(rule, override, override);
      }),
  );
  const signal = (key: keyof typeof signalRules) => {
    const s = signalRules[key];
    return disabled.has(s.id) ? null : { id: s.id, weight: weightOf(s.id, s.weight) };
  };
  const invisibleSignal = signal('invisibleCharacters');
  const mixedSignal = signal('mixedScript');
  const encodedSignal = signal('encodedInstructions');

  function verdictOf(
    score: number,
    hits: readonly RuleHit[],
    limits: readonly ScreeningLimit[],
  ): ScreeningVerdict {
    let verdict: ScreeningVerdict =
      score >= config.blockAt ? 'block' : score >= config.flagAt ? 'flag' : 'allow';
    for (const hit of hits) {
      const forced = config.rules.actions[hit.id];
      if (forced) verdict = worse(verdict, forced);
    }
    if (limits.some((l) => l !== 'spans')) verdict = worse(verdict, config.onLimit);
    return verdict;
  }

  function finish(
    partial: Omit<ScreeningResult, 'verdict' | 'wouldBlock'>,
    extra: ScreeningVerdict = 'allow',
  ): ScreeningResult {
    const verdict = worse(verdictOf(partial.score, partial.rules, partial.limits), extra);
    if (config.mode === 'monitor' && verdict === 'block')
      return { ...partial, verdict: 'flag', wouldBlock: true };
    return config.mode === 'monitor' ? { ...partial, verdict, wouldBlock: false } : { ...partial, verdict };
  }

  function core(text: string, origin: TextOrigin): Core {
    const limits = new Set<ScreeningLimit>();
    const input = text.length > config.maxInputChars ? text.slice(0, config.maxInputChars) : text;
    if (input !== text) limits.add('input-size');
    const hits: RuleHit[] = [];
    const decoded: DecodedPayload[] = [];
    const decodedTexts: string[] = [];
    const { decode } = config;
    let decodedChars = 0;
    const seen = new Set<string>();
    const addHit = (hit: RuleHit) => {
      if (hits.length < MAX_HITS) hits.push(hit);
      else limits.add('spans');
    };

    const queue: Pending[] = [{ text: input, depth: 0, outer: null, index: undefined }];
    for (let item = queue.shift(); item; item = queue.shift()) {
      const view = normalize(item.text);
      const context = origin === 'user' && embedsDocument(view.text) ? 'document' : origin;
      const found = matchRules(view, rules, context, config.rules.maxSpansPerRule);
      for (const h of found) {
        const span = item.outer ?? sourceSpan(view, h.start, h.end);
        addHit(
          item.index === undefined
            ? { id: h.id, weight: h.weight, span }
            : { ...h, span, decoded: item.index },
        );
      }
      if (item.index !== undefined && found.length > 0 && encodedSignal && item.outer) {
        addHit({ ...encodedSignal, span: item.outer, decoded: item.index });
      }
      if (item.depth === 0) {
        const first = view.invisibleInWords[0];
        if (invisibleSignal && first) addHit({ ...invisibleSignal, span: first });
        const mixed = view.mixedScriptWords[0];
        if (mixedSignal && mixed) addHit({ ...mixedSignal, span: mixed });
      }

      if (decode.maxDepth === 0) continue;
      const runs: { encoding: PayloadEncoding; span: TextSpan; text: string }[] = [...view.hidden];
      const scan = findEncodedRuns(item.text, {
        minEncodedLength: decode.minEncodedLength,
        maxCandidates: decode.maxCandidates,
      });
      runs.push(...scan.runs);
      if (scan.candidatesExhausted) limits.add('decode-candidates');
      if (runs.length === 0) continue;
      if (item.depth >= decode.maxDepth) {
        limits.add('decode-depth');
        continue;
      }
      for (const run of runs) {
        // The same payload repeated (a pasted block, an attack stuffed many times) is screened once.
        if (seen.has(run.text)) continue;
        seen.add(run.text);
        if (decoded.length >= decode.maxPayloads) {
          limits.add('decode-payloads');
          break;
        }
        const room = decode.maxDecodedChars - decodedChars;
        if (room <= 0) {
          limits.add('decode-size');
          break;
        }
        let body = run.text;
        if (body.length > room) {
          body = body.slice(0, room);
          limits.add('decode-size');
        }
        decodedChars += body.length;
        const outer = item.outer ?? run.span;
        const index = decoded.length;
        decoded.push({
          encoding: run.encoding,
          depth: item.depth + 1,
          span: outer,
          ...(item.index === undefined ? {} : { parent: item.index }),
          preview: body.slice(0, decode.previewChars),
          length: body.length,
        });
        decodedTexts.push(body);
        queue.push({ text: body, depth: item.depth + 1, outer, index });
      }
    }

    const ruleScore = combineWeights(hits);
    const result = finish({ score: ruleScore, ruleScore, rules: hits, decoded, limits: [...limits] });
    return { result, decodedTexts, input };
  }

  async function classify(base: Core): Promise<ScreeningResult> {
    const { result } = base;
    if (!classifier || config.classifier.weight === 0) return result;
    const c = config.classifier;
    const ruleVerdict = result.wouldBlock ? 'block' : result.verdict;
    if (c.run === 'unless-blocked' && ruleVerdict === 'block') return result;
    if (c.run === 'when-flagged' && ruleVerdict !== 'flag') return result;
    const texts = [base.input, ...base.decodedTexts].slice(0, c.maxCalls).map((t) => t.slice(0, c.maxChars));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`classifier timed out after ${c.timeoutMs} ms`)),
          c.timeoutMs,
        );
      });
      const scores = await Promise.race([Promise.all(texts.map((t) => classifier.score(t))), timeout]);
      for (const s of scores) {
        if (typeof s !== 'number' || !Number.isFinite(s) || s < 0 || s > 1) {
          throw new Error(`classifier answered ${String(s)}, not a probability`);
        }
      }
      const classifierScore = Math.max(...scores);
      const weighted = c.weight * classifierScore;
      const score =
        c.combine === 'max'
          ? Math.max(result.ruleScore, weighted)
          : 1 - (1 - result.ruleScore) * (1 - weighted);
      return finish({ ...strip(result), score, classifierScore });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return finish({ ...strip(result), classifierError: message }, c.onError);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  const screenRules = (text: string, options?: ScreenOptions) => core(text, options?.origin ?? 'user').result;
  const screen = (text: string, options?: ScreenOptions) => classify(core(text, options?.origin ?? 'user'));

  async function screenMessages(messages: readonly ScreenableMessage[]): Promise<MessagesScreeningResult> {
    const verdicts: MessageVerdict[] = [];
    const rulesOut: RuleHit[] = [];
    const decodedOut: DecodedPayload[] = [];
    const limits = new Set<ScreeningLimit>();
    let score = 0;
    let ruleScore = 0;
    let classifierScore: number | undefined;
    let classifierError: string | undefined;
    let verdict: ScreeningVerdict = 'allow';
    let wouldBlock = false;
    for (const [index, message] of messages.entries()) {
      const origin = Object.hasOwn(config.messageRoles, message.role)
        ? config.messageRoles[message.role]
        : undefined;
      if (!origin) continue;
      const text = messageText(message.content);
      if (text === '') continue;
      const r = await screen(text, { origin });
      verdicts.push({ index, role: message.role, verdict: r.verdict, score: r.score });
      const base = decodedOut.length;
      for (const h of r.rules) {
        rulesOut.push(
          h.decoded === undefined
            ? { ...h, message: index }
            : { ...h, decoded: h.decoded + base, message: index },
        );
      }
      for (const d of r.decoded) {
        decodedOut.push(
          d.parent === undefined
            ? { ...d, message: index }
            : { ...d, parent: d.parent + base, message: index },
        );
      }
      for (const l of r.limits) limits.add(l);
      score = Math.max(score, r.score);
      ruleScore = Math.max(ruleScore, r.ruleScore);
      if (r.classifierScore !== undefined)
        classifierScore = Math.max(classifierScore ?? 0, r.classifierScore);
      if (r.classifierError !== undefined) classifierError ??= r.classifierError;
      verdict = worse(verdict, r.verdict);
      wouldBlock ||= r.wouldBlock === true;
    }
    return {
      verdict,
      score,
      ruleScore,
      ...(classifierScore === undefined ? {} : { classifierScore }),
      ...(classifierError === undefined ? {} : { classifierError }),
      rules: rulesOut,
      decoded: decodedOut,
      limits: [...limits],
      ...(config.mode === 'monitor' ? { wouldBlock } : {}),
      messages: verdicts,
    };
  }

  return { config, screenRules, screen, screenMessages };
}

function strip(result: ScreeningResult): Omit<ScreeningResult, 'verdict' | 'wouldBlock'> {
  const { verdict: _v, wouldBlock: _w, ...rest } = result;
  return rest;
}

function messageText(content: ScreenableMessage['content']): string {
  if (content === null) return '';
  if (typeof content === 'string') return content;
  return content
    .filter((part) => part.type === 'text' && typeof part.text === 'string')
    .map((part) => part.text)
    .join('\n');
}
