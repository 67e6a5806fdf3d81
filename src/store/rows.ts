// Conversions between database rows (the same columns in both engines) and the Paper model.

import { absUrl, pdfUrl } from '../papers/arxiv-id.js';
import type { Author, Paper, PaperRecord, PaperVersion, Signal, SignalKind } from '../papers/paper.js';
import type { HarvestState } from './store.js';

export interface PaperRow {
  pk: number;
  id: string;
  title: string;
  abstract: string;
  authors: string;
  author_names: string;
  categories: string;
  primary_category: string | null;
  comment: string | null;
  journal_ref: string | null;
  doi: string | null;
  license: string | null;
  latest_version: number | null;
  submitted_at: string | null;
  updated_at: string | null;
  announced_at: string | null;
}

export interface VersionRow {
  version: number;
  submitted_at: string | null;
  size: string | null;
}

export function rowToRecord(row: PaperRow, versions: VersionRow[]): PaperRecord {
  return {
    id: row.id,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors) as Author[],
    categories: row.categories ? row.categories.split(' ') : [],
    comment: row.comment,
    journalRef: row.journal_ref,
    doi: row.doi,
    license: row.license,
    versions: versions.map((v): PaperVersion => ({ version: v.version, submittedAt: v.submitted_at, size: v.size })),
    submittedAt: row.submitted_at,
    announcedAt: row.announced_at,
    updatedAt: row.updated_at,
  };
}

export function recordToPaper(r: PaperRecord): Paper {
  const latestVersion = r.versions.at(-1)?.version ?? null;
  return {
    ...r,
    primaryCategory: r.categories[0] ?? null,
    latestVersion,
    links: { abs: absUrl(r.id), pdf: pdfUrl(r.id, latestVersion) },
  };
}

/** Column values for an INSERT/UPDATE of papers, by named parameter. */
export function recordToParams(r: PaperRecord) {
  return {
    id: r.id,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.stringify(r.authors.map((a) => (a.affiliations?.length ? a : { name: a.name }))),
    author_names: r.authors.map((a) => a.name).join('; '),
    categories: r.categories.join(' '),
    primary_category: r.categories[0] ?? null,
    comment: r.comment,
    journal_ref: r.journalRef,
    doi: r.doi,
    license: r.license,
    latest_version: r.versions.at(-1)?.version ?? null,
    submitted_at: r.submittedAt,
    updated_at: r.updatedAt,
    announced_at: r.announcedAt,
  };
}

export interface SignalRow { paper_id: string; kind: string; source: string; observed_at: string; value: number }

export function rowToSignal(r: SignalRow): Signal {
  return { paperId: r.paper_id, kind: r.kind as SignalKind, source: r.source, observedAt: r.observed_at, value: r.value };
}

export interface HarvestRow {
  name: string; next_from: string | null; resumption_token: string | null; current_from: string | null;
  current_response_date: string | null; pages: number; records: number; last_success_at: string | null;
  last_error: string | null; updated_at: string;
}

export function rowToHarvest(r: HarvestRow): HarvestState {
  return {
    name: r.name, nextFrom: r.next_from, resumptionToken: r.resumption_token, currentFrom: r.current_from,
    currentResponseDate: r.current_response_date, pages: r.pages, records: r.records,
    lastSuccessAt: r.last_success_at, lastError: r.last_error, updatedAt: r.updated_at,
  };
}

export function harvestToParams(s: HarvestState) {
  return {
    name: s.name, next_from: s.nextFrom, resumption_token: s.resumptionToken, current_from: s.currentFrom,
    current_response_date: s.currentResponseDate, pages: s.pages, records: s.records,
    last_success_at: s.lastSuccessAt, last_error: s.lastError, updated_at: s.updatedAt,
  };
}
