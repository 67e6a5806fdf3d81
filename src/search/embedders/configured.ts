// The external embedder the configuration names, or null for the built-in model.

import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Embedder } from './embedder.js';

export async function openConfiguredEmbedder(_config: Config, _logger: Logger): Promise<Embedder | null> {
  return null;
}
