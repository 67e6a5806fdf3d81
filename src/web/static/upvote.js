// Upvotes without a page reload: posts the upvote form with fetch and updates every
// button for that paper in place. Without this script the form posts and redirects back.
'use strict';

document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.classList.contains('upvote')) return;
  event.preventDefault();
  const button = form.querySelector('button');
  if (button.disabled) return;
  button.disabled = true;
  try {
    const res = await fetch(form.action, {
      method: 'POST',
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    const data = await res.json().catch(() => null);
    if (!res.ok || !data) {
      announce(form, data?.error?.message ?? 'Your vote could not be saved. Please try again.');
      return;
    }
    for (const other of document.querySelectorAll('form.upvote')) {
      if (other.dataset.paper === data.paperId) update(other, data);
    }
    announce(form, data.voted ? 'Upvoted.' : 'Upvote removed.');
  } catch {
    // Network trouble: fall back to the ordinary form post.
    HTMLFormElement.prototype.submit.call(form);
  } finally {
    button.disabled = false;
  }
});

function update(form, data) {
  const button = form.querySelector('button');
  form.action = data.action;
  button.setAttribute('aria-pressed', String(data.voted));
  button.title = data.voted ? 'Remove your upvote' : 'Upvote this paper';
  form.querySelector('.count').textContent = String(data.count);
  form.querySelector('.visually-hidden').textContent = data.voted ? ' upvotes, upvoted by you' : ' upvotes';
}

/** Screen readers hear the result through one polite live region. */
function announce(form, message) {
  let region = document.getElementById('vote-status');
  if (!region) {
    region = document.createElement('p');
    region.id = 'vote-status';
    region.className = 'toast';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  region.textContent = message;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { region.textContent = ''; }, 4000);
}
