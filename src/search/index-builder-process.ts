// The child process of index-builder.ts: opens its own connection to the store, builds
// one part of the search indexes as `paperboy index` does, saves its files and says so.
// It ends with its parent: a build nobody waits for would only hold the lock.

import type { Config } from '../config.js';
import { describeError } from '../errors.js';
import { createLogger } from '../logger.js';
import { openStore } from '../store/open-store.js';
import type { BuildMessage, BuildRequest } from './index-builder.js';
import { openExternalEmbedder } from './embedders/open-embedder.js';
import { openSearchEngine } from './open.js';

const post = (m: BuildMessage, then: () => void = () => {}) => process.send!(m, () => then());

async function main({ config, request }: { config: Config; request: BuildRequest }): Promise<void> {
  const logger = createLogger({ level: config.log.level, format: config.log.format, base: { builder: request.part } });
  const store = await openStore(config);
  try {
    const embedder = request.part === 'vectors' ? await openExternalEmbedder(config, { logger }) : null;
    const engine = openSearchEngine(store, config, {
      logger, embedder, waitForVectors: true, retrain: request.retrain,
      onProgress: (phase, done, total) => post({ kind: 'progress', phase, done, total }),
      // The server asks for a retraining when it sees the corpus outgrow the model; here, build with what fits.
      retrainGrowth: request.retrain ? undefined : Number.POSITIVE_INFINITY,
    });
    if (request.part === 'words') {
      await engine.lexical.index();
      await engine.lexical.saved();
    } else {
      await engine.semantic?.current();
      await engine.semantic?.saved();
      await embedder?.close?.();
    }
  } finally {
    await store.close();
  }
}

process.on('disconnect', () => process.exit(1));
process.once('message', (m: { config: Config; request: BuildRequest }) => {
  void main(m)
    .then((): BuildMessage => ({ kind: 'done' }), (e: unknown): BuildMessage => ({ kind: 'failed', error: describeError(e) }))
    .then((outcome) => post(outcome, () => process.exit(0)));
});
