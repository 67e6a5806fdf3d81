// What a subscriber chooses: topics (search queries and arXiv categories), the hour and
// time zone the digest arrives at, daily or weekly. Parsed from forms, CSV and flags
// alike, bounded in size, with a message for each thing that is wrong.

import type { Frequency, SubscriberPreferences, TopicMode } from '../store/subscriber-store.js';

export type Preferences = SubscriberPreferences;

export interface PreferenceInput {
  /** Comma- or line-separated; an item that is an arXiv category (or `cat:…`) becomes a category. */
  topics?: unknown;
  categories?: unknown;
  mode?: unknown;
  hour?: unknown;
  tz?: unknown;
  frequency?: unknown;
  weekday?: unknown;
}

export const MAX_TOPICS = 10;
export const MAX_TOPIC_LENGTH = 120;
export const MAX_CATEGORIES = 20;
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// cs.LG, math.AP, q-bio.NC, astro-ph.GA, cond-mat.stat-mech, physics.optics, and the archives without subjects.
const CATEGORY = /^(?:(?:cs|math|stat|eess|econ|q-bio|q-fin|physics|astro-ph|cond-mat|nlin)\.[A-Za-z]{2,}(?:-[a-z]+)?|hep-th|hep-ph|hep-ex|hep-lat|gr-qc|quant-ph|math-ph|nucl-th|nucl-ex)$/i;

export type PreferenceCheck = { ok: true; prefs: Preferences } | { ok: false; problems: string[] };

export function isCategory(s: string): boolean {
  return CATEGORY.test(s);
}

/** arXiv's spelling: archive lowercase, subject class as arXiv writes it (cs.LG, math.AP, physics.optics). */
export function canonicalCategory(s: string): string {
  const [archive, subject] = s.split('.') as [string, string | undefined];
  if (subject === undefined) return archive.toLowerCase();
  const a = archive.toLowerCase();
  const upper = ['cs', 'math', 'stat', 'eess', 'econ', 'q-bio', 'q-fin', 'astro-ph', 'nlin'].includes(a) && /^[a-z]{2}$/i.test(subject);
  return `${a}.${upper ? subject.toUpperCase() : subject.toLowerCase()}`;
}

function items(v: unknown): string[] {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return list.flatMap((x) => (typeof x === 'string' ? x.split(/[,\n\r]+/) : []))
    // Control characters never reach a query or a mail; runs of spaces collapse.
    .map((s) => s.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function canonicalZone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export function parsePreferences(input: PreferenceInput, defaults: { hour: number; timeZone: string }): PreferenceCheck {
  const problems: string[] = [];
  const topics: string[] = [];
  const categories: string[] = [];
  const seen = new Set<string>();
  const add = (list: string[], value: string) => {
    if (!seen.has(value.toLowerCase())) list.push(value);
    seen.add(value.toLowerCase());
  };
  for (const item of [...items(input.topics), ...items(input.categories)]) {
    const cat = item.replace(/^cat:/i, '');
    if (isCategory(cat)) add(categories, canonicalCategory(cat));
    else if (/^cat:/i.test(item) || items(input.categories).includes(item)) problems.push(`"${item.slice(0, 40)}" is not an arXiv category (they look like cs.LG or math.AP).`);
    else if (item.length > MAX_TOPIC_LENGTH) problems.push(`A topic has at most ${MAX_TOPIC_LENGTH} characters ("${item.slice(0, 30)}…" is longer).`);
    else add(topics, item);
  }
  if (topics.length > MAX_TOPICS) problems.push(`At most ${MAX_TOPICS} topics, please (you gave ${topics.length}).`);
  if (categories.length > MAX_CATEGORIES) problems.push(`At most ${MAX_CATEGORIES} categories, please.`);

  const hour = parseHour(input.hour, defaults.hour);
  if (hour === null) problems.push('The hour is a whole hour from 0 to 23, like 07:00.');
  const zoneText = typeof input.tz === 'string' && input.tz.trim() !== '' ? input.tz.trim() : defaults.timeZone;
  const timeZone = zoneText.length <= 64 ? canonicalZone(zoneText) : null;
  if (timeZone === null) problems.push(`"${zoneText.slice(0, 40)}" is not a time zone; use a name like Europe/Paris or UTC.`);
  const frequency = input.frequency === undefined || input.frequency === '' ? 'daily' : input.frequency;
  if (frequency !== 'daily' && frequency !== 'weekly') problems.push('Choose daily or weekly.');
  const weekday = input.weekday === undefined || input.weekday === '' ? 1 : Number(input.weekday);
  if (!Number.isInteger(weekday) || weekday < 0 || weekday > 6) problems.push('The weekday is a number from 0 (Sunday) to 6 (Saturday).');
  const mode = input.mode === undefined || input.mode === '' ? 'only' : input.mode;
  if (mode !== 'only' && mode !== 'boost') problems.push('Topic mode is "only" (just my topics) or "boost" (my topics first).');

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    prefs: {
      topics, categories, topicMode: mode as TopicMode, sendHour: hour!, timeZone: timeZone!,
      frequency: frequency as Frequency, weekday,
    },
  };
}

function parseHour(v: unknown, fallback: number): number | null {
  if (v === undefined || v === '' || v === null) return fallback;
  const m = /^\s*(\d{1,2})(?::00)?\s*$/.exec(String(v));
  const h = m ? Number(m[1]) : Number.NaN;
  return Number.isInteger(h) && h >= 0 && h <= 23 ? h : null;
}

/** "07:00 Europe/Paris, daily" — for pages, emails and the CLI. */
export function describeSchedule(p: Pick<Preferences, 'sendHour' | 'timeZone' | 'frequency' | 'weekday'>): string {
  const time = `${String(p.sendHour).padStart(2, '0')}:00 (${p.timeZone})`;
  return p.frequency === 'weekly' ? `every ${WEEKDAYS[p.weekday]} at ${time}` : `every day at ${time}`;
}

export function describeTopics(p: Pick<Preferences, 'topics' | 'categories' | 'topicMode'>): string {
  const all = [...p.topics.map((t) => `"${t}"`), ...p.categories];
  if (!all.length) return 'everything trending';
  return p.topicMode === 'boost' ? `${all.join(', ')} first, then everything trending` : all.join(', ');
}
