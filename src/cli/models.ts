// `paperboy models pull NAME` and `paperboy models list`: fetch ONNX sentence-embedding
// models from the Hugging Face Hub into DATA_DIR/models (verified, resumable, a progress
// bar on a terminal) and show what is there, for `search.embedder.provider: "onnx"`.

import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { userAgent } from '../config.js';
import { PaperboyError } from '../errors.js';
import { listModels, modelFolderName, pullModel } from '../search/embedders/hub.js';
import { KNOWN_MODELS } from '../search/embedders/known-models.js';
import { modelsDir } from '../search/embedders/open-embedder.js';
import type { CliContext } from './context.js';

interface PullFlags { revision?: string; hubUrl?: string; dir?: string; file?: string }

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

export function registerModels(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('ONNX embedding models for search by meaning: fetch them from the Hugging Face Hub, list them');

  models.command('pull')
    .description('fetch an ONNX sentence-embedding model into DATA_DIR/models/NAME: only the files an embedder needs, each checked against its sha256; a killed pull resumes where it stopped')
    .argument('<name>', `a known model (${Object.keys(KNOWN_MODELS).join(', ')}) or a Hub repository with an ONNX export, e.g. Xenova/bge-small-en-v1.5`)
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--hub-url <url>', 'Hub base URL (default: models.hubUrl, PAPERBOY_HUB_URL or HF_ENDPOINT, else https://huggingface.co)')
    .option('--dir <dir>', 'destination folder (default: DATA_DIR/models/NAME)')
    .option('--file <path>', 'the ONNX file to fetch, e.g. onnx/model_quantized.onnx (smaller and faster, a little less accurate); default onnx/model.onnx')
    .addHelpText('after', '\nThen set search.embedder.provider to "onnx" and search.embedder.onnx.model to NAME (or PAPERBOY_EMBEDDER=onnx PAPERBOY_ONNX_MODEL=NAME).\nHF_TOKEN is sent to the Hub for private or gated repositories.')
    .action(async (name: string, flags: PullFlags) => {
      if (flags.hubUrl && !/^https?:\/\/\S+$/.test(flags.hubUrl)) throw new PaperboyError('bad_input', `--hub-url must be an http(s) URL, got "${flags.hubUrl}"`);
      if (flags.file && (!flags.file.endsWith('.onnx') || flags.file.split('/').includes('..'))) throw new PaperboyError('bad_input', `--file must name a .onnx file of the repository, got "${flags.file}"`);
      const config = ctx.config();
      const dir = path.resolve(flags.dir ?? path.join(modelsDir(config), modelFolderName(name)));
      const bar = process.stderr.isTTY && config.log.level !== 'silent'
        ? new SingleBar({ format: ' {file} [{bar}] {percentage}% | {done}/{size} | ETA {eta_formatted}', hideCursor: true, fps: 5, clearOnComplete: true, etaBuffer: 200 }, Presets.shades_classic)
        : null;
      let started = false;
      try {
        const result = await pullModel({
          name, dir, revision: flags.revision, hubUrl: flags.hubUrl ?? config.models.hubUrl, file: flags.file, token: config.models.hubToken,
          userAgent: userAgent(config), logger: ctx.logger(),
          onProgress: ({ bytes, total, file }) => {
            const payload = { file, done: mb(bytes), size: mb(total) };
            if (!bar) return;
            if (!started) { bar.start(Math.max(1, total), bytes, payload); started = true; } else bar.update(bytes, payload);
          },
        });
        bar?.stop();
        const m = result.manifest;
        const size = m.files.reduce((s, f) => s + f.size, 0);
        process.stdout.write(`${m.repo}@${m.commit.slice(0, 12)} → ${result.dir}\n  ${m.files.length} files, ${mb(size)} (${mb(result.fetchedBytes)} fetched now, ` +
          `${result.reusedFiles} already there), all checked against the Hub's checksums; model file ${m.onnxFile}\n`);
      } finally {
        bar?.stop();
      }
    });

  models.command('list')
    .description('the models in DATA_DIR/models: pulled ones (repository, commit) and folders put there by hand')
    .option('--json', 'one JSON array')
    .action((flags: { json?: boolean }) => {
      const list = listModels(modelsDir(ctx.config()));
      if (flags.json) { process.stdout.write(`${JSON.stringify(list, null, 2)}\n`); return; }
      if (!list.length) { process.stdout.write(`No models in ${modelsDir(ctx.config())}; fetch one with "paperboy models pull bge-small-en-v1.5".\n`); return; }
      for (const m of list) {
        const state = m.pulled ? `${m.repo}@${m.commit?.slice(0, 12)}` : m.complete ? 'local folder' : 'incomplete (run "models pull" again to finish)';
        process.stdout.write(`${m.name.padEnd(40)} ${mb(m.bytes).padStart(10)}  ${m.onnxFile ?? '(no ONNX file)'}  ${state}\n`);
      }
    });
}
