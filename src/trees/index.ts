/** The trees folder's public surface: the learner, its options, the model contract and the JS predictor. */
export type { Tree, TreeEnsemble, TreeFeature, TreeFeatureKind, TreeInputs, TreeTask } from './model.js';
export { addTree, leafOf, predictProbabilities, predictRaw, scoresToProbabilities } from './predict.js';
export { DEFAULT_GBDT_OPTIONS, gbdtOptionsSchema, MAX_TREE_BINS, parseGbdtOptions, type GbdtOptions } from './options.js';
export { trainEnsemble, type BoostResult, type BoostRound, type BoostSplit } from './boost.js';
export type { FeatureImportance } from './importance.js';
