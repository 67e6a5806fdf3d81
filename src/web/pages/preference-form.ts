// The fields of a subscription's settings, shared by the subscribe page and the manage
// page: topics (queries and categories, one per line), topics only or first, the hour,
// the time zone (every zone the runtime knows), daily or weekly and the weekday.

import { html } from 'hono/html';
import type { Preferences } from '../../subscriptions/preferences.js';
import { WEEKDAYS } from '../../subscriptions/preferences.js';
import { hourOptions } from './components.js';
import type { Html } from './layout.js';

let zones: string[] | null = null;

function allZones(): string[] {
  zones ??= ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')];
  return zones;
}

export function zoneOptions(selected: string): Html {
  const list = allZones().includes(selected) ? allZones() : [selected, ...allZones()];
  return html`${list.map((z) => html`<option${z === selected ? html` selected` : ''}>${z}</option>`)}`;
}

/** Form values as typed, so a form sent back with a problem keeps what was entered. */
export interface PreferenceValues {
  topics: string;
  mode: string;
  hour: number;
  tz: string;
  frequency: string;
  weekday: number;
}

export function valuesOf(p: Preferences): PreferenceValues {
  return {
    topics: [...p.topics, ...p.categories].join('\n'), mode: p.topicMode, hour: p.sendHour, tz: p.timeZone,
    frequency: p.frequency, weekday: p.weekday,
  };
}

export function preferenceFields(v: PreferenceValues): Html {
  const checked = (on: boolean) => (on ? html` checked` : '');
  return html`<fieldset>
  <legend>Topics</legend>
  <label><span>One per line: words to search for (<code>diffusion models</code>), or arXiv categories (<code>cs.RO</code>). Leave empty for everything trending.</span>
    <textarea name="topics" rows="4" maxlength="1300">${v.topics}</textarea></label>
  <label class="choice"><input type="radio" name="mode" value="only"${checked(v.mode !== 'boost')}> Only papers on my topics</label>
  <label class="choice"><input type="radio" name="mode" value="boost"${checked(v.mode === 'boost')}> Papers on my topics first, then the rest of what is trending</label>
</fieldset>
<fieldset>
  <legend>Delivery</legend>
  <label class="choice"><input type="radio" name="frequency" value="daily"${checked(v.frequency !== 'weekly')}> Every day</label>
  <label class="choice"><input type="radio" name="frequency" value="weekly"${checked(v.frequency === 'weekly')}> Once a week, on
    <select name="weekday">${WEEKDAYS.map((d, i) => html`<option value="${i}"${i === v.weekday ? html` selected` : ''}>${d}</option>`)}</select></label>
  <label>At <select name="hour">${hourOptions(v.hour)}</select></label>
  <label>Time zone <select name="tz">${zoneOptions(v.tz)}</select></label>
</fieldset>`;
}
