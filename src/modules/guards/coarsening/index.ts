export { coarsenOutputs, roundTo, topIndices } from './coarsen-output.js';
export {
  type CoarseningConfig,
  type CoarseningMode,
  type CoarsenResult,
  coarseningModes,
} from './coarsening.types.js';
export {
  COARSENING_MAX_DECIMALS,
  defaultCoarseningConfig,
  type ParsedCoarseningConfig,
  parseCoarseningConfig,
} from './coarsening-config.js';
export { elementCount, flattenData, tensorElements, type V2Tensor } from './tensor.js';
