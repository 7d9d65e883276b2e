/**
 * An ONNX file may keep tensor data in other files it names (`data_location: EXTERNAL`, `external_data`
 * with a `location`); onnxruntime then opens those paths, which is how the external-data path-traversal
 * CVEs (CVE-2022-25882, CVE-2024-27318) read files outside the model folder. A polyhead model never
 * stores data outside model.onnx, so any such tensor, wherever it sits (initializers, sparse
 * initializers, node attributes, subgraphs of If/Loop/Scan, training-info graphs, functions), is
 * refused before onnxruntime sees the bytes.
 */
import { ModelError } from '../errors.js';
import { decodeModel, onnx, type GraphProto, type NodeProto, type TensorProto } from '../graph/onnx-proto.js';
import type onnxProto from 'onnx-proto';

type SparseTensorProto = onnxProto.onnx.ISparseTensorProto;

interface Found {
  tensor: TensorProto;
  where: string;
}

export function refuseExternalData(bytes: Uint8Array, file: string): void {
  let model;
  try {
    model = decodeModel(bytes);
  } catch (err) {
    throw new ModelError('model-corrupt', `${file} is not a valid ONNX model (${(err as Error).message}); the folder is damaged, train or copy the model again`);
  }
  const found: Found[] = [];
  if (model.graph) graphTensors(model.graph, 'the main graph', found);
  (model.trainingInfo ?? []).forEach((info, i) => {
    if (info.initialization) graphTensors(info.initialization, `training info ${i} (initialization)`, found);
    if (info.algorithm) graphTensors(info.algorithm, `training info ${i} (algorithm)`, found);
  });
  for (const fn of model.functions ?? []) nodesTensors(fn.node ?? [], `function '${fn.name ?? ''}'`, found);
  const external = found.find(({ tensor }) => isExternal(tensor));
  if (external) {
    const location = external.tensor.externalData?.find((e) => e.key === 'location')?.value;
    throw new ModelError(
      'model-external-data',
      `${file}: tensor '${external.tensor.name ?? ''}' in ${external.where} stores its data in an external file` +
        `${location !== undefined && location !== null ? ` (${JSON.stringify(location)})` : ''}; polyhead models keep every tensor inside model.onnx, ` +
        'so this file was not written by polyhead or was tampered with. It is refused; train or copy the model again',
      { file, tensor: external.tensor.name, location },
    );
  }
}

function isExternal(t: TensorProto): boolean {
  return t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData?.length ?? 0) > 0;
}

function sparse(s: SparseTensorProto | null | undefined, where: string, found: Found[]): void {
  if (!s) return;
  if (s.values) found.push({ tensor: s.values, where });
  if (s.indices) found.push({ tensor: s.indices, where });
}

function graphTensors(g: GraphProto, where: string, found: Found[]): void {
  for (const t of g.initializer ?? []) found.push({ tensor: t, where: `initializers of ${where}` });
  for (const s of g.sparseInitializer ?? []) sparse(s, `sparse initializers of ${where}`, found);
  nodesTensors(g.node ?? [], where, found);
}

function nodesTensors(nodes: NodeProto[], where: string, found: Found[]): void {
  for (const node of nodes) {
    for (const a of node.attribute ?? []) {
      const at = `attribute '${a.name ?? ''}' of node '${node.name ?? ''}' in ${where}`;
      if (a.t) found.push({ tensor: a.t, where: at });
      for (const t of a.tensors ?? []) found.push({ tensor: t, where: at });
      sparse(a.sparseTensor, at, found);
      for (const s of a.sparseTensors ?? []) sparse(s, at, found);
      if (a.g) graphTensors(a.g, `the subgraph of ${at}`, found);
      for (const g of a.graphs ?? []) graphTensors(g, `a subgraph of ${at}`, found);
    }
  }
}
