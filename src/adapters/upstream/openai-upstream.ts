import type { UpstreamSettings } from '../../config/upstreams.js';
import {
  type ChatAnswer,
  type ModelRuntime,
  type Session,
  UpstreamFailure,
} from '../../modules/gateway/index.js';
import { callUpstream, upstreamStatusFailure } from './upstream-http.js';
import { createUpstreamPolicy } from './upstream-policy.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (detail: string) =>
  new UpstreamFailure('bad_response', `the upstream's answer is not a chat completion: ${detail}`);
const count = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The first choice of an OpenAI-style chat completion, read strictly. */
function readCompletion(json: unknown): ChatAnswer {
  if (!isObject(json)) throw bad('the answer must be a JSON object');
  const { choices, id, created, usage } = json;
  if (!Array.isArray(choices) || choices.length === 0) throw bad('"choices" must be a non-empty array');
  const choice = choices[0];
  if (!isObject(choice) || !isObject(choice.message)) throw bad('choices[0].message must be an object');
  const { role, content } = choice.message;
  if (role !== 'assistant') throw bad('choices[0].message.role must be "assistant"');
  if (typeof content !== 'string') throw bad('choices[0].message.content must be a string');
  const finish = choice.finish_reason;
  if (finish !== undefined && finish !== null && typeof finish !== 'string')
    throw bad('choices[0].finish_reason must be a string or null');
  if (id !== undefined && (typeof id !== 'string' || id.length > 256)) throw bad('"id" must be a string');
  if (created !== undefined && !count(created)) throw bad('"created" must be a Unix time');
  let read: ChatAnswer['usage'] = null;
  if (usage !== undefined && usage !== null) {
    if (
      !isObject(usage) ||
      !count(usage.prompt_tokens) ||
      !count(usage.completion_tokens) ||
      !count(usage.total_tokens)
    )
      throw bad('"usage" must hold prompt_tokens, completion_tokens and total_tokens as counts');
    read = {
      prompt_tokens: usage.prompt_tokens as number,
      completion_tokens: usage.completion_tokens as number,
      total_tokens: usage.total_tokens as number,
    };
  }
  return {
    id: typeof id === 'string' ? id : null,
    created: typeof created === 'number' ? created : null,
    content,
    finishReason: typeof finish === 'string' ? finish : null,
    usage: read,
  };
}

/**
 * A chat model served by an OpenAI-style chat-completions API (OpenAI, vLLM, Ollama, LiteLLM…): `url` is
 * the API base (…/v1), the gateway posts `{url}/chat/completions` with the upstream's model name, its
 * configured credentials, non-streaming, under the upstream's timeout, breaker and concurrency limit.
 */
export function createOpenAiUpstream(settings: UpstreamSettings): ModelRuntime {
  const policy = createUpstreamPolicy(settings);
  return {
    platform: 'upstream_openai_chat',
    accepts: () => true,
    status: () => policy.status(),
    async load(): Promise<Session> {
      return {
        inputs: [],
        outputs: [],
        async run() {
          throw new UpstreamFailure('refused', 'a chat model takes chat requests, not tensors');
        },
        chat: (request) =>
          policy.execute(async (signal) => {
            const res = await callUpstream({
              method: 'POST',
              url: `${settings.url}/chat/completions`,
              body: { ...request.options, model: settings.model, messages: request.messages, stream: false },
              signal,
              headers: settings.headers,
              maxResponseBytes: settings.maxResponseBytes,
            });
            if (res.status !== 200) throw upstreamStatusFailure(settings, res, { refused: [400, 422] });
            return readCompletion(res.json);
          }),
        async release() {},
      };
    },
  };
}
