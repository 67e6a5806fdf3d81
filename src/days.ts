// Calendar days as Paperboy writes them everywhere: YYYY-MM-DD strings in UTC, the way
// arXiv announces papers. One home for the arithmetic the home page, trending windows,
// the digest's slots and the connectors all need.

const DAY_MS = 86_400_000;

/** `day` moved by `n` days (negative: back). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC day of a time: what "today" means whatever the machine's time zone. */
export function utcDay(t: Date): string {
  return t.toISOString().slice(0, 10);
}
