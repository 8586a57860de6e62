import { defineError } from '../../../platform/errors.js';

export const onnxUnreadable = defineError(
  'onnx_unreadable',
  'invalid',
  (reason: string) => `The file is not a readable ONNX model: ${reason}.`,
);
