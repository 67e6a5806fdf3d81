// Leases: how scheduled work (the harvest, the signal connectors, digest planning) runs in
// one process of many sharing a database. A lease names its holder and runs out at a
// time; a holder renews it while it works, and a dead holder's lease simply expires.

export interface LeaseStore {
  /**
   * Takes the lease `name` for `owner` until `until` when nobody holds it, its holder's
   * time ran out (at or before `now`), or `owner` already holds it (a renewal). False
   * when another holder's lease is still running.
   */
  acquireLease(name: string, owner: string, until: string, now: string): Promise<boolean>;
  /** Gives the lease up, if `owner` holds it. */
  releaseLease(name: string, owner: string): Promise<void>;
}
