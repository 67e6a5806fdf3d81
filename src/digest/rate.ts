// Messages per second, spread evenly: each send reserves the next free moment and waits
// for it. Real time on purpose (not the injectable clock): the limit protects a real
// mail server, and relays count what they receive per second.

export function createRateLimiter(perSecond: number, clock: () => number = () => performance.now()): () => Promise<void> {
  if (!(perSecond > 0)) return async () => {};
  const gap = 1000 / perSecond;
  let nextAt = clock();
  return async () => {
    const t = clock();
    const at = Math.max(nextAt, t);
    nextAt = at + gap;
    if (at > t) await new Promise((r) => setTimeout(r, at - t));
  };
}
