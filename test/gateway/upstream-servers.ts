import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Stand-ins for upstream model servers, speaking the real protocols over real HTTP on loopback: a V2 server
 * (model metadata, readiness, infer, `{"error"}` bodies) and an OpenAI-style chat-completions API. Each
 * records the credential it was sent. The V2 server's models behave by name: `tabular` answers, `hang`
 * never does, `reset` drops the connection, `garbage` answers `garbageMode`, `flaky` fails with 500 while
 * `flakyDown`.
 */
export interface StandIns {
  v2Url: string;
  openAiUrl: string;
  /** Authorization headers received, in order. */
  seen: { path: string; authorization: string | undefined }[];
  /** Inference calls received per model. */
  inferCalls: Map<string, number>;
  state: { garbageMode: GarbageMode; flakyDown: boolean };
  close(): Promise<void>;
}

export type GarbageMode =
  | 'not-json'
  | 'no-outputs'
  | 'wrong-count'
  | 'wrong-datatype'
  | 'unknown-output'
  | 'huge';

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

const metadata = (name: string) => ({
  name,
  versions: ['1'],
  platform: 'onnxruntime_onnx',
  inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
  outputs: [
    { name: 'label', datatype: 'INT64', shape: [-1] },
    { name: 'score', datatype: 'FP32', shape: [-1, 1] },
  ],
});
const v2Models = new Set(['tabular', 'hang', 'reset', 'garbage', 'flaky']);

/** The stand-in model: the label is 1 when a row's features add up to more than 10, the score is the sum. */
function infer(body: Record<string, unknown>) {
  const input = (body.inputs as { name: string; shape: number[]; data: number[] }[])[0];
  if (input?.name !== 'features') return { error: 'expected input "features"' };
  const rows = input.shape[0] ?? 0;
  const flat = input.data.flat(2) as number[];
  if (flat.some((v) => v < 0)) return { error: 'features must not be negative' };
  const sums = Array.from({ length: rows }, (_, r) =>
    flat.slice(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0),
  );
  const all = {
    label: { name: 'label', datatype: 'INT64', shape: [rows], data: sums.map((s) => (s > 10 ? 1 : 0)) },
    score: { name: 'score', datatype: 'FP32', shape: [rows, 1], data: sums },
  };
  const wanted = (body.outputs as { name: 'label' | 'score' }[] | undefined)?.map((o) => o.name) ?? [
    'label',
    'score',
  ];
  return { outputs: wanted.map((n) => all[n]) };
}

function garbage(res: ServerResponse, mode: GarbageMode) {
  switch (mode) {
    case 'not-json':
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end('<html>502 proxy error</html>');
    case 'no-outputs':
      return json(res, 200, { model_name: 'garbage', id: '1' });
    case 'wrong-count':
      return json(res, 200, {
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [1], data: [1, 0] },
          { name: 'score', datatype: 'FP32', shape: [1, 1], data: [3] },
        ],
      });
    case 'wrong-datatype':
      return json(res, 200, {
        outputs: [
          { name: 'label', datatype: 'FP32', shape: [1], data: [1] },
          { name: 'score', datatype: 'FP32', shape: [1, 1], data: [3] },
        ],
      });
    case 'unknown-output':
      return json(res, 200, {
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [1], data: [1] },
          { name: 'secret_logits', datatype: 'FP32', shape: [1], data: [0.3] },
        ],
      });
    case 'huge':
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(`{"outputs": [${'0,'.repeat(1_000_000)}0]}`);
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startStandIns(): Promise<StandIns> {
  const seen: StandIns['seen'] = [];
  const inferCalls = new Map<string, number>();
  const state: StandIns['state'] = { garbageMode: 'not-json', flakyDown: false };
  const hanging = new Set<ServerResponse>();

  const v2 = createServer(async (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const m = /^\/v2\/models\/([^/]+)(\/ready|\/infer)?$/.exec(req.url ?? '');
    const name = m?.[1] ?? '';
    if (!m || !v2Models.has(name)) return json(res, 404, { error: `model ${name} not found` });
    if (req.method === 'GET' && !m[2]) return json(res, 200, metadata(name));
    if (req.method === 'GET' && m[2] === '/ready') return json(res, 200, { name, ready: true });
    if (req.method !== 'POST' || m[2] !== '/infer') return json(res, 405, { error: 'method not allowed' });
    inferCalls.set(name, (inferCalls.get(name) ?? 0) + 1);
    const body = await readJson(req);
    switch (name) {
      case 'hang':
        hanging.add(res);
        return;
      case 'reset':
        return req.socket.destroy();
      case 'garbage':
        return garbage(res, state.garbageMode);
      case 'flaky':
        if (state.flakyDown) return json(res, 500, { error: 'CUDA out of memory' });
    }
    const answer = infer(body);
    return 'error' in answer
      ? json(res, 400, answer)
      : json(res, 200, { model_name: name, id: 'x', ...answer });
  });

  const openAi = createServer(async (req, res) => {
    seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions')
      return json(res, 404, { error: { message: 'not found', type: 'invalid_request_error' } });
    const body = await readJson(req);
    if (body.model !== 'upstream-chat-7b')
      return json(res, 404, {
        error: { message: `model ${String(body.model)} not found`, type: 'invalid_request_error' },
      });
    if (body.stream !== false) return json(res, 400, { error: { message: 'expected stream false' } });
    const messages = body.messages as { role: string; content: string }[];
    const last = messages[messages.length - 1]?.content ?? '';
    if (last === 'please fail')
      return json(res, 400, { error: { message: `bad request from ${String(req.headers.authorization)}` } });
    return json(res, 200, {
      id: 'chatcmpl-standin',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: `echo: ${last} (temperature ${String(body.temperature ?? 'default')})`,
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
    });
  });

  const v2Url = await listen(v2);
  const openAiUrl = `${await listen(openAi)}/v1`;
  return {
    v2Url,
    openAiUrl,
    seen,
    inferCalls,
    state,
    close: async () => {
      for (const res of hanging) res.destroy();
      v2.closeAllConnections();
      openAi.closeAllConnections();
      await Promise.all([new Promise((r) => v2.close(r)), new Promise((r) => openAi.close(r))]);
    },
  };
}
