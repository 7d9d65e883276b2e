/** Architectures by name; adding one is its file and a line here. */
import { OptionError } from '../errors.js';
import { checkArchArguments, type Architecture } from './architecture.js';
import { crossStitchArch } from './cross-stitch.js';
import { linear } from './linear.js';
import { mmoe } from './mmoe.js';
import { ple } from './ple.js';
import { sharedBottom } from './shared-bottom.js';
import { singleTask } from './single-task.js';

export { checkArchArguments, defaultArchOptions } from './architecture.js';
export type { ArchImage, ArchInput, ArchOptions, Architecture, TaskHead } from './architecture.js';
export { IMAGE_TRUNKS, imageFeatureWidth, smallCnnFilters, type ImageTrunk } from './image-trunk.js';
export { embeddingDim, inputLayer, inputWidth } from './input-layer.js';

const registry: readonly Architecture[] = [singleTask, sharedBottom, crossStitchArch, mmoe, ple, linear];

export const ARCHITECTURES: readonly string[] = registry.map((a) => a.name);

/** The architecture called `name`, its build checking its arguments first (OptionError on bad ones). */
export function getArchitecture(name: string): Architecture {
  const arch = registry.find((a) => a.name === name);
  if (!arch) {
    throw new OptionError('unknown-arch', `unknown architecture '${name}'; choose one of: ${ARCHITECTURES.join(', ')}`, { value: name, allowed: [...ARCHITECTURES] });
  }
  return {
    ...arch,
    build(ctx, input, tasks, options) {
      checkArchArguments(input, tasks, options);
      return arch.build(ctx, input, tasks, options);
    },
  };
}
