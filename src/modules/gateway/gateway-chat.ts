import type { CallContext } from '../../platform/call-context.js';
import type { Logger } from '../../platform/logger.js';
import { parseChatRequest } from './chat-request.js';
import { inferenceFailed, invalidChatRequest, modelNotReady, wrongModelKind } from './gateway.errors.js';
import {
  type GuardCall,
  type GuardPipeline,
  runAdmit,
  runAfterChat,
  runBeforeChat,
} from './guard-pipeline.js';
import type { GuardPolicySource } from './guard-policy.js';
import type { ChatAnswer } from './runtime.port.js';
import type { Slot } from './serving-table.js';
import { answerUpstreamFailure } from './upstream-failure.js';

/** An OpenAI-style chat completion, as the gateway answers it (one choice, non-streaming). */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: { index: 0; message: { role: 'assistant'; content: string }; finish_reason: string | null }[];
  usage?: ChatAnswer['usage'];
}

export interface ChatDeps {
  environment: string;
  guards: GuardPipeline;
  policies: GuardPolicySource;
  logger: Logger;
  /** Authorizes the call on the deployment and picks the slot that answers (canary split, sticky). */
  /** Authorizes and picks the slot; `owner` is the model's team (audit entries of guards). */
  route(ctx: CallContext, name: string): Promise<{ slot: Slot; owner: string }>;
  label(model: string, slot: { version: number; digest: string }): Record<string, unknown>;
  digestHeader: string;
}

/** The deployment a chat body names: read (and only it) before the call is authorized. */
function modelOf(body: unknown): string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidChatRequest('the request body must be a JSON object');
  const { model } = body as { model?: unknown };
  if (model === undefined) throw invalidChatRequest('missing field "model"');
  if (typeof model !== 'string' || model.length === 0)
    throw invalidChatRequest('"model" must be a non-empty string');
  return model;
}

/**
 * Chat completions on a deployed chat model (an OpenAI-style upstream): authorized and routed like /v2,
 * admitted by the guards before the body is read, the messages through `beforeChat`, the answer through
 * `afterChat`, and the caller gets the guarded answer under the deployment's name (never the upstream's).
 */
export function createChat(deps: ChatDeps) {
  const { environment, guards, policies, logger, label } = deps;
  return async function chat(
    ctx: CallContext,
    body: unknown,
    headers: Map<string, string> = new Map(),
  ): Promise<{ digest: string; body: ChatCompletion }> {
    const model = modelOf(body);
    const { slot, owner } = await deps.route(ctx, model);
    const lease = slot.lease;
    if (!lease?.acquire()) throw modelNotReady(model);
    headers.set(deps.digestHeader, slot.digest);
    try {
      const { session } = lease;
      if (!session.chat) throw wrongModelKind(model, 'chat');
      const call: GuardCall = {
        ctx,
        environment,
        model,
        owner,
        version: slot.version,
        digest: slot.digest,
        policy: policies.policyFor(model),
        headers,
      };
      await runAdmit(guards, call);
      const parsed = parseChatRequest(body, { maxStringLength: call.policy.validation.maxStringLength });
      const messages = await runBeforeChat(guards, call, parsed.messages);
      let answer: ChatAnswer;
      try {
        answer = await session.chat({ messages, options: parsed.options });
      } catch (err) {
        const mapped = answerUpstreamFailure(err, model, headers);
        logger.error(
          {
            err: mapped ? { reason: (err as Error).message } : err,
            ...label(model, slot),
            requestId: ctx.requestId,
          },
          'chat completion failed',
        );
        throw mapped ?? inferenceFailed();
      }
      const content = await runAfterChat(guards, call, messages, answer.content);
      return {
        digest: slot.digest,
        body: {
          id: answer.id ?? `chatcmpl-${ctx.requestId ?? ''}`,
          object: 'chat.completion',
          created: answer.created ?? Math.floor(Date.now() / 1000),
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content }, finish_reason: answer.finishReason },
          ],
          ...(answer.usage ? { usage: answer.usage } : {}),
        },
      };
    } finally {
      lease.release();
    }
  };
}
