// The dashboard's entry point: reads /ui/config.json, signs in when the server wants it, and routes on the
// URL's fragment (#/, #/new, #/providers, #/deployments/{id}) so that the server serves one page for every view.
import { h, replace } from './dom.js';
import { configure } from './api.js';
import * as auth from './auth.js';
import { listPage } from './list.js';
import { newPage } from './new.js';
import { detailPage } from './detail.js';
import { providersPage } from './providers.js';
import './app.css';

const main = document.getElementById('main');
const account = document.getElementById('account');
let cleanup = null;

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function route() {
  cleanup?.();
  cleanup = null;
  const path = location.hash.replace(/^#/, '') || '/';
  let m;
  for (const a of document.querySelectorAll('.site-nav a')) {
    a.toggleAttribute('aria-current', a.getAttribute('href') === `#${path}` || (a.getAttribute('href') === '#/' && path.startsWith('/deployments')));
  }
  if (path === '/' || path === '/deployments') {
    document.title = 'Deployments · toscaflow';
    cleanup = listPage(main, { go });
  } else if (path === '/providers') {
    document.title = 'Providers · toscaflow';
    cleanup = providersPage(main);
  } else if (path === '/new') {
    document.title = 'New deployment · toscaflow';
    cleanup = newPage(main, { go });
  } else if ((m = /^\/deployments\/([\w-]+)\/update$/.exec(path))) {
    document.title = `Update ${m[1].slice(0, 8)} · toscaflow`;
    cleanup = newPage(main, { go, update: m[1] });
  } else if ((m = /^\/deployments\/([\w-]+)$/.exec(path))) {
    document.title = `Deployment ${m[1].slice(0, 8)} · toscaflow`;
    cleanup = detailPage(main, { id: m[1], go });
  } else {
    document.title = 'Not found · toscaflow';
    replace(main, h('h1', {}, 'Page not found'), h('p', {}, 'There is no such page. ', h('a', { href: '#/' }, 'Go to the deployments'), '.'));
  }
  // Move the focus to the new page's heading, so that keyboard and screen-reader users start there.
  const h1 = main.querySelector('h1');
  if (h1 && !main.contains(document.activeElement)) {
    h1.tabIndex = -1;
    h1.focus({ preventScroll: true });
  }
}

function signInPage(message) {
  replace(account);
  replace(main,
    h('h1', {}, 'Sign in'),
    message ? h('p', { class: 'error-text', role: 'alert' }, message) : null,
    h('p', {}, 'This toscaflow server needs you to sign in with your organisation’s account.'),
    h('button', { type: 'button', class: 'primary', onclick: () => auth.signIn().catch((e) => signInPage(e.message)) }, 'Sign in'));
  main.querySelector('button').focus();
}

async function start() {
  let cfg = {};
  try {
    const res = await fetch('/ui/config.json');
    if (res.ok) cfg = await res.json();
  } catch { /* the defaults: auth off */ }
  const version = document.getElementById('version');
  if (version && cfg.version) version.textContent = `toscaflow ${cfg.version}`;
  if (cfg.authRequired && !cfg.auth) {
    replace(main, h('h1', {}, 'Sign-in is not set up for the dashboard'),
      h('p', { role: 'alert' }, 'This server needs a bearer token on every API call, but none of its trusted issuers names a client id for the dashboard (clientId in the issuer configuration). Ask the administrator to add one; the API itself works with tokens as usual.'));
    return;
  }
  if (cfg.auth) {
    try {
      await auth.init(cfg.auth);
    } catch (err) {
      signInPage(err.message);
      return;
    }
    configure({ token: auth.token, onUnauthorized: () => signInPage('Your session has ended: please sign in again.') });
    if (!(await auth.token())) {
      signInPage('');
      return;
    }
    replace(account, h('span', {}, auth.user()), ' ', h('button', { type: 'button', class: 'link', onclick: () => auth.signOut() }, 'Sign out'));
  }
  window.addEventListener('hashchange', route);
  document.querySelector('.skip')?.addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
  route();
}

start();
