/** `iqa export-onnx`: writes a trained YOTO, CVRKD-IQA, QFM-IQM or MFENet inference graph (weights inside) as ONNX. */
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { IqaError } from '../../tensor/errors.js';

export function register(program: Command): void {
  program
    .command('export-onnx')
    .description('export a trained yoto/cvrkd/qfm-iqm/mfenet model (safetensors with its config) to a standalone ONNX file')
    .requiredOption('-m, --model <name>', 'yoto, cvrkd, qfm-iqm or mfenet')
    .requiredOption('-w, --weights <file>', 'safetensors weights written by iqa train')
    .requiredOption('-o, --out <file>', 'output .onnx file')
    .option('--mode <mode>', 'yoto: FR or NR', 'NR')
    .option('--batch <n>', 'crops per run (yoto: 5 for the five-point crop; qfm-iqm/mfenet: any)', (v) => Number(v), 5)
    .action(async (o: { model: string; weights: string; out: string; mode: string; batch: number }) => {
      const { Graph } = await import('../../engine/graph/graph.js');
      const { toOnnx } = await import('../../engine/onnx/emit.js');
      const g = new Graph();
      let outputs;
      if (o.model === 'yoto') {
        const { loadYoto } = await import('../../models/yoto/metric.js');
        const net = await loadYoto(o.weights);
        const s = net.config.crop;
        const mode = o.mode.toUpperCase() === 'FR' ? 'FR' : 'NR';
        const x = g.input('dist', [o.batch, 3, s, s]);
        const y = mode === 'FR' ? g.input('ref', [o.batch, 3, s, s]) : null;
        outputs = { score: net.forwardMode(x, y, mode) };
      } else if (o.model === 'cvrkd') {
        const { loadCvrkd } = await import('../../models/cvrkd/metric.js');
        const net = await loadCvrkd(o.weights);
        const shape = [1, net.config.patches, 3, net.config.patchSize, net.config.patchSize];
        outputs = { score: net.run(g.input('lq', shape), g.input('ref', shape)).pred };
      } else if (o.model === 'qfm-iqm' || o.model === 'mfenet') {
        const { loadNrModel, exportNrModelOnnx } = await import('../../models/nr-models.js');
        const { model, crop } = await loadNrModel(o.model, o.weights);
        await writeFile(o.out, exportNrModelOnnx(model, crop, o.batch));
        console.error(`wrote ${o.out}`);
        return;
      } else throw new IqaError(`export-onnx: model: expected 'yoto', 'cvrkd', 'qfm-iqm' or 'mfenet', got '${o.model}'`, 'E_INPUT');
      await writeFile(o.out, toOnnx(outputs).bytes);
      console.error(`wrote ${o.out}`);
    });
}
