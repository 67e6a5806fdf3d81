// How a newly ingested record combines with the stored one. Engine-independent, so
// SQLite and PostgreSQL merge alike. The rules:
// - version histories are unioned (a version never disappears);
// - a record that is at least as new (by latest version, then updatedAt) overwrites the
//   descriptive fields it has; an older or version-less one only fills gaps;
// - the first announcement and v1 date stick; updatedAt only moves forward.

import type { PaperRecord, PaperVersion } from '../papers/paper.js';

export function mergeRecords(existing: PaperRecord | null, incoming: PaperRecord): PaperRecord {
  if (!existing) return normaliseRecord(incoming);
  const versions = mergeVersions(existing.versions, incoming.versions);
  const winsTies = isAtLeastAsNew(incoming, existing);
  const pick = <T>(mine: T, theirs: T, empty: (v: T) => boolean): T =>
    empty(theirs) ? mine : empty(mine) || winsTies ? theirs : mine;
  const blank = (v: string | null) => v === null || v === '';
  const none = (v: unknown[]) => v.length === 0;

  return normaliseRecord({
    id: existing.id,
    title: pick(existing.title, incoming.title, blank),
    abstract: pick(existing.abstract, incoming.abstract, blank),
    authors: pick(existing.authors, incoming.authors, none),
    categories: pick(existing.categories, incoming.categories, none),
    comment: pick(existing.comment, incoming.comment, blank),
    journalRef: pick(existing.journalRef, incoming.journalRef, blank),
    doi: pick(existing.doi, incoming.doi, blank),
    license: pick(existing.license, incoming.license, blank),
    versions,
    submittedAt: earliest(existing.submittedAt, incoming.submittedAt),
    announcedAt: earliest(existing.announcedAt, incoming.announcedAt),
    updatedAt: latest(existing.updatedAt, incoming.updatedAt),
  });
}

/** Fills what can be derived: v1's date is the submission date, the latest version's the update. */
export function normaliseRecord(r: PaperRecord): PaperRecord {
  const versions = [...r.versions].sort((a, b) => a.version - b.version);
  const v1 = versions.find((v) => v.version === 1)?.submittedAt ?? null;
  const last = versions.at(-1)?.submittedAt ?? null;
  return {
    ...r,
    versions,
    submittedAt: v1 ?? r.submittedAt,
    updatedAt: latest(r.updatedAt, last),
  };
}

export function recordsEqual(a: PaperRecord, b: PaperRecord): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(r: PaperRecord): unknown[] {
  return [r.id, r.title, r.abstract, r.authors.map((a) => [a.name, a.affiliations ?? []]), r.categories, r.comment,
    r.journalRef, r.doi, r.license, r.versions.map((v) => [v.version, v.submittedAt, v.size ?? null]),
    r.submittedAt, r.announcedAt, r.updatedAt];
}

function mergeVersions(a: PaperVersion[], b: PaperVersion[]): PaperVersion[] {
  const byNumber = new Map<number, PaperVersion>();
  for (const v of a) byNumber.set(v.version, { ...v });
  for (const v of b) {
    const prev = byNumber.get(v.version);
    byNumber.set(v.version, prev
      ? { version: v.version, submittedAt: prev.submittedAt ?? v.submittedAt, size: prev.size ?? v.size ?? null }
      : { ...v });
  }
  return [...byNumber.values()].sort((x, y) => x.version - y.version);
}

function isAtLeastAsNew(incoming: PaperRecord, existing: PaperRecord): boolean {
  const vi = incoming.versions.at(-1)?.version ?? 0;
  const ve = existing.versions.at(-1)?.version ?? 0;
  if (vi !== ve) return vi > ve;
  if (vi === 0 && ve === 0) return true;
  return (incoming.updatedAt ?? '') >= (existing.updatedAt ?? '');
}

function earliest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a <= b ? a : b;
}

function latest(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}
