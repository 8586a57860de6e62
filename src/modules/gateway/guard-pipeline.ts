import type { CallContext } from '../../platform/call-context.js';
import type { GuardPolicy } from './guard-policy.js';
import type { InferRequest, ResponseTensor } from './infer-request.js';

/** Who asked which deployed model: what every guard sees of a call. */
export interface GuardCall {
  ctx: CallContext;
  environment: string;
  model: string;
  /** The team that owns the model (what an audit entry about the deployment is filed under). */
  owner: string;
  version: number;
  digest: string;
  /** The deployment's guard policy, as it was when the call started. */
  policy: GuardPolicy;
  /**
   * Response headers a guard sets (rate-limit state, say): the transport sends them with the answer,
   * success or refusal.
   */
  headers: Map<string, string>;
}

/** One message of an OpenAI-style chat-completions request. */
export interface ChatMessage {
  role: string;
  content: string;
}

/**
 * A check on the inference path. Hooks, each optional, run in list order:
 * - `admit` before the body is validated (rate limits: a refused request costs no parsing);
 * - `beforeRun` sees the validated V2 request before the model runs and may refuse it (throw an AppError)
 *   or return a replacement; `afterRun` sees the encoded outputs and may refuse or replace them;
 * - `beforeChat` / `afterChat` are the same for a chat-completions call: the messages, then the answer.
 */
export interface InferenceGuard {
  readonly name: string;
  admit?(call: GuardCall): Promise<void> | void;
  beforeRun?(
    call: GuardCall,
    request: InferRequest,
  ): Promise<InferRequest | undefined> | InferRequest | undefined;
  afterRun?(
    call: GuardCall,
    request: InferRequest,
    outputs: ResponseTensor[],
  ): Promise<ResponseTensor[] | undefined> | ResponseTensor[] | undefined;
  beforeChat?(
    call: GuardCall,
    messages: readonly ChatMessage[],
  ): Promise<ChatMessage[] | undefined> | ChatMessage[] | undefined;
  afterChat?(
    call: GuardCall,
    messages: readonly ChatMessage[],
    answer: string,
  ): Promise<string | undefined> | string | undefined;
}

export type GuardPipeline = readonly InferenceGuard[];

// A hook that answers synchronously is not awaited, and a pipeline whose hooks all answer synchronously
// answers synchronously itself (no promise to await): an await, even of a plain value or of an async
// function's result, costs turns of the microtask queue, several per request on the inference hot path.
// Order and errors are the same (a synchronous refusal is thrown; the caller's `await` rejects with it).
// What goes on asynchronously is always a native Promise, so callers may test `instanceof Promise`.
export const isThenable = <T>(v: T | Promise<T>): v is Promise<T> =>
  typeof (v as { then?: unknown } | undefined)?.then === 'function';

/** Runs the `admit` hooks from the `from`-th guard on; a promise only once one hook answers with one. */
export function runAdmit(guards: GuardPipeline, call: GuardCall, from = 0): Promise<void> | undefined {
  for (let i = from; i < guards.length; i++) {
    const guard = guards[i] as InferenceGuard;
    if (!guard.admit) continue;
    const done = guard.admit(call);
    if (isThenable(done)) return Promise.resolve(done).then(() => runAdmit(guards, call, i + 1));
  }
  return undefined;
}

/** The `beforeRun` hooks in turn, each seeing the request the one before returned. */
export function runBefore(
  guards: GuardPipeline,
  call: GuardCall,
  request: InferRequest,
  from = 0,
): InferRequest | Promise<InferRequest> {
  let current = request;
  for (let i = from; i < guards.length; i++) {
    const guard = guards[i] as InferenceGuard;
    if (!guard.beforeRun) continue;
    const next = guard.beforeRun(call, current);
    if (isThenable(next)) {
      const held = current;
      return Promise.resolve(next).then((replaced) => runBefore(guards, call, replaced ?? held, i + 1));
    }
    current = next ?? current;
  }
  return current;
}

/** The `afterRun` hooks in turn, each seeing the outputs the one before returned. */
export function runAfter(
  guards: GuardPipeline,
  call: GuardCall,
  request: InferRequest,
  outputs: ResponseTensor[],
  from = 0,
): ResponseTensor[] | Promise<ResponseTensor[]> {
  let current = outputs;
  for (let i = from; i < guards.length; i++) {
    const guard = guards[i] as InferenceGuard;
    if (!guard.afterRun) continue;
    const next = guard.afterRun(call, request, current);
    if (isThenable(next)) {
      const held = current;
      return Promise.resolve(next).then((replaced) =>
        runAfter(guards, call, request, replaced ?? held, i + 1),
      );
    }
    current = next ?? current;
  }
  return current;
}

export async function runBeforeChat(guards: GuardPipeline, call: GuardCall, messages: ChatMessage[]) {
  let current = messages;
  for (const guard of guards)
    if (guard.beforeChat) current = (await guard.beforeChat(call, current)) ?? current;
  return current;
}

export async function runAfterChat(
  guards: GuardPipeline,
  call: GuardCall,
  messages: readonly ChatMessage[],
  answer: string,
) {
  let current = answer;
  for (const guard of guards)
    if (guard.afterChat) current = (await guard.afterChat(call, messages, current)) ?? current;
  return current;
}
