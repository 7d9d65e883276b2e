/** The engine's building blocks: the graph, its ops, autodiff and ONNX emission. */
export { Graph, Tensor, inputName, type DType, type Node } from './graph.js';
export type { Dim, Shape } from './shape.js';
export { registeredOps } from './op.js';
export { grad } from './autodiff.js';
export { emitOnnx, emitParts, type EmittedModel } from './emit.js';
export { add, sub, mul, div, neg, pow, square } from './ops/arith.js';
export { exp, log, sqrt, relu, sigmoid, tanh, abs, gelu } from './ops/unary.js';
export { greater, less, greaterEqual, lessEqual, equal, and, not, where, cast, clip } from './ops/logic.js';
export {
  reduceSum, reduceMean, reduceMax, sumAll, broadcastTo, sizeOf,
  reshape, transpose, unsqueeze, squeeze, concat, slice, pad, split,
} from './ops/reduce-shape.js';
export { matmul, softmax, logSoftmax, gather } from './ops/nn.js';
export { layerNormalization } from './ops/norm.js';
export { conv2d, convTranspose2d, maxPool2d, avgPool2d, globalAvgPool2d, type Conv2dOptions, type Pool2dOptions } from './ops/conv.js';
