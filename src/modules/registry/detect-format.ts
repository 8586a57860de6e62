import type { VersionFile } from './registry.types.js';

const byExtension: [RegExp, string][] = [
  [/\.onnx$/i, 'onnx'],
  [/\.safetensors$/i, 'safetensors'],
  [/\.gguf$/i, 'gguf'],
  [/\.(pt|pth)$/i, 'pytorch'],
  [/\.(pkl|pickle)$/i, 'pickle'],
  [/\.joblib$/i, 'joblib'],
  [/\.(keras|h5|hdf5)$/i, 'keras'],
  [/(^|\/)saved_model\.pbtxt?$/i, 'tensorflow'],
  [/\.tflite$/i, 'tflite'],
  [/\.mlmodel$/i, 'coreml'],
  [/\.(ubj|xgb)$/i, 'xgboost'],
];

/** The model format, from the largest file whose extension names one; "unknown" when none does. */
export function detectFormat(files: Pick<VersionFile, 'path' | 'size'>[]): string {
  let best: { format: string; size: number } | null = null;
  for (const file of files) {
    const hit = byExtension.find(([re]) => re.test(file.path));
    if (hit && (!best || file.size > best.size)) best = { format: hit[1], size: file.size };
  }
  return best?.format ?? 'unknown';
}
