/** The feature plan: preprocessing fitted on the training rows, applied in JS and exported as ONNX. */
export { fitFeaturePlan, fitFeatures, requireFeatures } from './fit.js';
export { applyFeaturePlan, encodeFeatures, type EncodedFeatures } from './apply.js';
export { imageInputName, normalizeImages, type ImageBlock, type ImageStep } from './image.js';
export { imageInputsOf, imageValues, modelInputsOf, type ImageInput, type ImageValues, type ModelInput } from './onnx.js';
export { treeFeaturesOf, treeInputs, treeInputsInto, treeInputsToOnnx, type TreeFragmentOptions } from './tree-inputs.js';
export {
  featurePlanToOnnx,
  rawInputsOf,
  rawColumnValues,
  type RawInput,
  type RawColumnValues,
  type FragmentOptions,
} from './onnx.js';
export {
  parsePlan,
  savePlan,
  planLayout,
  PLAN_FORMAT,
  PLAN_VERSION,
  type FeaturePlan,
  type CategoricalField,
  type DroppedFeature,
} from './plan.js';
export {
  resolveFeatureOptions,
  DEFAULT_FEATURE_OPTIONS,
  NUMERIC_ENCODINGS,
  MAX_NUMERIC_BINS,
  type FeatureOptions,
  type NumericEncoding,
  type ResolvedFeatureOptions,
} from './options.js';
export type { NumericStep, ScaleStats } from './numeric.js';
export type { CategoryStep, CategoryEncoding } from './categorical.js';
export type { TextStep } from './text.js';
export type { DatetimeStep, DatetimePart } from './datetime.js';
export { tokenize } from './text.js';
