// Fills the subscribe forms' time zone with the browser's, so "07:00" means seven in
// the morning where the subscriber is. Without this script the zone stays UTC (editable).
'use strict';

(() => {
  let zone = '';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch {
    return;
  }
  if (!zone) return;
  for (const input of document.querySelectorAll('input[data-browser-zone]')) {
    if (input.value === '' || input.value === 'UTC') input.value = zone;
  }
})();
