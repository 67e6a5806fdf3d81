// `paperboy subscribers list|add|remove|export|import`: the operator's view of the
// list. `add --confirmed` and `import --confirmed` bring addresses whose consent was
// obtained elsewhere (an existing list) without the opt-in email; without the flag
// every new address gets a confirmation email first. Neither brings back an address that
// unsubscribed or bounced. Output goes to stdout; addresses are never logged.

import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { fail } from '../errors.js';
import { openMailer } from '../mail/open-mailer.js';
import type { Store } from '../store/store.js';
import type { Subscriber, SubscriberStatus } from '../store/subscriber-store.js';
import { checkAddress } from '../subscriptions/address.js';
import { parseCsv, toCsvLine } from '../subscriptions/csv.js';
import { parsePreferences, describeSchedule, describeTopics, type PreferenceInput } from '../subscriptions/preferences.js';
import { createSubscriptions, type AddResult, type Subscriptions } from '../subscriptions/service.js';
import type { CliContext } from './context.js';

const STATUSES: SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed', 'bouncing'];
const COLUMNS = ['email', 'status', 'topics', 'categories', 'mode', 'hour', 'time_zone', 'frequency', 'weekday', 'consent', 'created_at', 'confirmed_at', 'unsubscribed_at'];

function status(v: string | undefined): SubscriberStatus | undefined {
  if (v === undefined) return undefined;
  return (STATUSES as string[]).includes(v) ? (v as SubscriberStatus) : fail('bad_input', `--status is one of ${STATUSES.join(', ')}`);
}

async function* all(store: Store, st?: SubscriberStatus): AsyncIterable<Subscriber> {
  for (let afterId = 0; ;) {
    const page = await store.listSubscribers({ status: st, afterId, limit: 1000 });
    yield* page;
    if (page.length < 1000) return;
    afterId = page.at(-1)!.id;
  }
}

export function registerSubscribers(program: Command, ctx: CliContext): void {
  const cmd = program.command('subscribers').description('list, add, remove, export and import digest subscribers');
  const withSubscriptions = <T>(fn: (subs: Subscriptions, store: Store) => Promise<T>) => ctx.withStore(async (store) => {
    const mailer = openMailer(ctx.config());
    try {
      return await fn(createSubscriptions({ store, mailer, config: ctx.config(), logger: ctx.logger() }), store);
    } finally {
      await mailer.close();
    }
  });
  const prefsOf = (input: PreferenceInput) => {
    const p = parsePreferences(input, { hour: ctx.config().digest.defaultHour, timeZone: ctx.config().digest.defaultTimeZone });
    return p.ok ? p.prefs : fail('bad_input', p.problems.join(' '));
  };

  cmd.command('list')
    .description('print subscribers (id, address, status, schedule, topics)')
    .option('--status <status>', STATUSES.join(' | '))
    .option('--json', 'print JSON lines')
    .action(async (opts: { status?: string; json?: boolean }) => {
      await ctx.withStore(async (store) => {
        for await (const s of all(store, status(opts.status))) {
          process.stdout.write(opts.json
            ? JSON.stringify({ id: s.id, email: s.email, status: s.status, topics: s.topics, categories: s.categories, mode: s.topicMode, hour: s.sendHour, timeZone: s.timeZone, frequency: s.frequency, weekday: s.weekday, confirmedAt: s.confirmedAt, lastSentAt: s.lastSentAt }) + '\n'
            : `${String(s.id).padStart(6)}  ${s.email.padEnd(32)} ${s.status.padEnd(12)} ${describeSchedule(s)}; ${describeTopics(s)}\n`);
        }
      });
    });

  cmd.command('add <email>')
    .description('add an address; it gets a confirmation email unless --confirmed')
    .option('--topic <query...>', 'a topic to search for (repeatable)')
    .option('--category <cat...>', 'an arXiv category, e.g. cs.LG (repeatable)')
    .option('--boost', 'topics first, then everything trending (default: only the topics)')
    .option('--hour <H>', 'hour of delivery, 0-23')
    .option('--tz <zone>', 'IANA time zone, e.g. Europe/Paris')
    .option('--weekly', 'once a week instead of daily')
    .option('--weekday <N>', 'for --weekly: 0 = Sunday … 6 = Saturday (default 1, Monday)')
    .option('--confirmed', 'consent was already given elsewhere: no confirmation email')
    .action(async (email: string, o: { topic?: string[]; category?: string[]; boost?: boolean; hour?: string; tz?: string; weekly?: boolean; weekday?: string; confirmed?: boolean }) => {
      const address = checkAddress(email);
      if (!address.ok) fail('bad_input', address.reason);
      const prefs = prefsOf({ topics: o.topic, categories: o.category, mode: o.boost ? 'boost' : 'only', hour: o.hour, tz: o.tz, frequency: o.weekly ? 'weekly' : 'daily', weekday: o.weekday });
      const r = await withSubscriptions((subs) => subs.add(address.email, prefs, { confirmed: o.confirmed ?? false, consent: 'operator-add' }));
      const said: Record<AddResult, string> = {
        added: 'added and active', 'confirmation-sent': 'a confirmation email was sent; the subscription starts when it is confirmed',
        exists: 'already subscribed; nothing changed', refused: 'this address unsubscribed or bounced; only its owner can subscribe it again',
        limited: 'this address already got its confirmation emails for today; try tomorrow',
      };
      process.stdout.write(`${address.email}: ${said[r]}\n`);
      if (r === 'refused') fail('bad_input', 'Not added.');
    });

  cmd.command('remove <email>')
    .description('unsubscribe an address (kept as unsubscribed, so no import brings it back); --erase deletes every trace')
    .option('--erase', 'delete the subscriber and its digest history')
    .action(async (email: string, o: { erase?: boolean }) => {
      const address = checkAddress(email);
      if (!address.ok) fail('bad_input', address.reason);
      const found = await withSubscriptions((subs) => subs.remove(address.email, { erase: o.erase ?? false }));
      if (!found) fail('not_found', 'No subscriber has that address.');
      process.stdout.write(`${address.email}: ${o.erase ? 'erased' : 'unsubscribed'}\n`);
    });

  cmd.command('export')
    .description(`write subscribers as CSV (${COLUMNS.join(',')})`)
    .option('--status <status>', STATUSES.join(' | '))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (opts: { status?: string; output?: string }) => {
      const chunks: string[] = [toCsvLine(COLUMNS)];
      await ctx.withStore(async (store) => {
        for await (const s of all(store, status(opts.status))) {
          chunks.push(toCsvLine([s.email, s.status, s.topics.join(', '), s.categories.join(' '), s.topicMode, s.sendHour, s.timeZone,
            s.frequency, s.weekday, s.consent, s.createdAt, s.confirmedAt, s.unsubscribedAt]));
        }
      });
      if (opts.output) writeFileSync(opts.output, chunks.join(''));
      else process.stdout.write(chunks.join(''));
    });

  cmd.command('import <file>')
    .description('add subscribers from CSV with a header row: email, and optionally topics, categories, mode, hour, time_zone, frequency, weekday')
    .option('--confirmed', 'consent was already given elsewhere: add them active, no confirmation emails')
    .action(async (file: string, o: { confirmed?: boolean }) => {
      const rows = parseCsv(readFileSync(file, 'utf8'));
      const header = (rows.shift() ?? []).map((h) => h.trim().toLowerCase());
      const col = (name: string) => header.indexOf(name);
      if (col('email') < 0) fail('bad_input', `${file}: the first row must name the columns, one of them "email"`);
      const counts: Record<AddResult | 'invalid', number> = { added: 0, 'confirmation-sent': 0, exists: 0, refused: 0, limited: 0, invalid: 0 };
      const problems: string[] = [];
      await withSubscriptions(async (subs) => {
        for (const [i, row] of rows.entries()) {
          const get = (name: string) => (col(name) >= 0 ? row[col(name)]?.trim() : undefined) || undefined;
          const address = checkAddress(get('email'));
          const prefs = parsePreferences({
            topics: get('topics'), categories: get('categories')?.split(/[\s,]+/), mode: get('mode'), hour: get('hour'),
            tz: get('time_zone'), frequency: get('frequency'), weekday: get('weekday'),
          }, { hour: ctx.config().digest.defaultHour, timeZone: ctx.config().digest.defaultTimeZone });
          if (!address.ok || !prefs.ok) {
            counts.invalid++;
            if (problems.length < 20) problems.push(`line ${i + 2}: ${address.ok ? '' : address.reason} ${prefs.ok ? '' : prefs.problems.join(' ')}`.trim());
            continue;
          }
          counts[await subs.add(address.email, prefs.prefs, { confirmed: o.confirmed ?? false, consent: 'operator-import' })]++;
        }
      });
      process.stdout.write(`Imported ${rows.length} rows: ${counts.added} added, ${counts['confirmation-sent']} sent a confirmation email, ` +
        `${counts.exists} already subscribed, ${counts.refused} refused (unsubscribed or bouncing), ${counts.limited} over the daily email limit, ${counts.invalid} invalid\n`);
      for (const p of problems) process.stdout.write(`  ${p}\n`);
      if (counts.invalid) fail('bad_input', `${counts.invalid} rows were not imported.`);
    });
}
