// Warns before an idle session ends, lets the person stay signed in, and never loses a form.
//
// The server ends a session after SESSION_IDLE_MINUTES without a request. Typing is not a
// request, so while someone is busy in a form we renew the session in the background. If
// they really are away, we warn them; if time runs out, we keep what they typed in this
// browser, send them to sign in, and put it back on the same page afterwards.
//
// What is kept in the browser outlives the session, so it is kept as little as possible: never from
// the OPCC's pages (their forms may hold OPCC-only text), only until the person signs in again
// (and only for them), and not at all once anyone signs out or a signed-out page loads, apart from
// the sign-in pages of the tab a timed-out session was sent to.

const PREFIX = "csp-returns:";
const STORE_PREFIX = `${PREFIX}form:`;
const EXPIRES_KEY = `${PREFIX}session-expires-at`;
// In this tab's sessionStorage while it is on its way back in after a timeout (sign-in, then any second step).
const SIGNING_IN_AGAIN_KEY = `${PREFIX}signing-in-again`;
const RENEW_EVERY_MS = 60 * 1000;
// A draft nobody came back for is dropped after this long.
const DRAFT_MAX_AGE_MS = 12 * 60 * 60 * 1000;
// Review, roll-up and annex pages: commentary, flags and annex text may be OPCC-only.
const NEVER_KEEP_UNDER = ["/review/", "/annex/"];
const SIGN_OUT_PATH = "/accounts/logout/";

function now() {
  return Date.now();
}

function readExpiry(fallback) {
  const stored = Number(window.localStorage.getItem(EXPIRES_KEY));
  return Number.isFinite(stored) && stored > 0 ? stored : fallback;
}

function storeKey(path) {
  return STORE_PREFIX + path;
}

function ownedKeys() {
  const keys = [];
  for (let index = 0; index < window.localStorage.length; index += 1) {
    const key = window.localStorage.key(index);
    if (key && key.startsWith(PREFIX)) keys.push(key);
  }
  return keys;
}

function forgetEverything() {
  ownedKeys().forEach((key) => window.localStorage.removeItem(key));
  window.sessionStorage.removeItem(SIGNING_IN_AGAIN_KEY);
}

function readDraft(key) {
  try {
    return JSON.parse(window.localStorage.getItem(key));
  } catch {
    return null;
  }
}

// Drops drafts that are too old, unreadable, or (when `user` is given) someone else's.
function forgetStaleDrafts(user) {
  for (const key of ownedKeys()) {
    if (!key.startsWith(STORE_PREFIX)) continue;
    const draft = readDraft(key);
    const stale = !draft || !Array.isArray(draft.forms) || !(now() - draft.savedAt < DRAFT_MAX_AGE_MS);
    if (stale || (user && draft.user !== user)) window.localStorage.removeItem(key);
  }
}

function isSignOut(form) {
  return new URL(form.action, window.location.href).pathname.endsWith(SIGN_OUT_PATH);
}

function mayKeepThisPage() {
  return !NEVER_KEEP_UNDER.some((prefix) => window.location.pathname.startsWith(prefix));
}

function formsToKeep() {
  if (!mayKeepThisPage()) return [];
  return Array.from(document.querySelectorAll("form[method='post' i]")).filter(
    (form) =>
      !form.hasAttribute("data-no-keep") &&
      !form.hasAttribute("data-no-draft") &&
      !form.closest(".govuk-header") &&
      !isSignOut(form)
  );
}

function saveForms() {
  const saved = formsToKeep().map((form) => {
    const values = [];
    for (const element of form.elements) {
      if (!element.name || element.type === "file" || element.type === "password" || element.name === "csrfmiddlewaretoken") continue;
      if (element.closest("[data-no-draft]")) continue;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
      values.push([element.name, element.value]);
    }
    return values;
  });
  if (saved.some((values) => values.length)) {
    const draft = { savedAt: now(), user: document.body.dataset.sessionUser || "", forms: saved };
    window.localStorage.setItem(storeKey(window.location.pathname), JSON.stringify(draft));
  }
}

// Keeps the browser's copies no longer than they are needed (restoreSavedForms runs it on every page).
function tidySavedForms() {
  // Signing out forgets everything, before the request leaves (whatever page the sign-out form is on).
  document.addEventListener(
    "submit",
    (event) => {
      if (event.target instanceof HTMLFormElement && isSignOut(event.target)) forgetEverything();
    },
    true
  );
  if (document.body.dataset.sessionSeconds) {
    window.sessionStorage.removeItem(SIGNING_IN_AGAIN_KEY);
    forgetStaleDrafts(document.body.dataset.sessionUser || "");
    return;
  }
  // Nobody is signed in here. Only the tab a timed-out session sent to sign in keeps the drafts, through
  // every step of signing in (a mistyped password, a second factor), to put them back afterwards. Any
  // other page (the one after signing out, a stranger's visit in another tab) forgets them.
  if (window.sessionStorage.getItem(SIGNING_IN_AGAIN_KEY)) {
    window.localStorage.removeItem(EXPIRES_KEY);
    forgetStaleDrafts("");
  } else {
    forgetEverything();
  }
}

export function restoreSavedForms() {
  tidySavedForms();
  const key = storeKey(window.location.pathname);
  if (!document.body.dataset.sessionSeconds || window.localStorage.getItem(key) === null) return;
  const data = readDraft(key);
  window.localStorage.removeItem(key);
  if (!data || !Array.isArray(data.forms) || data.user !== (document.body.dataset.sessionUser || "")) return;
  const forms = formsToKeep();
  data.forms.forEach((values, index) => {
    const form = forms[index];
    if (!form) return;
    const byName = new Map();
    values.forEach(([name, value]) => byName.set(name, [...(byName.get(name) || []), value]));
    for (const element of form.elements) {
      if (!byName.has(element.name)) continue;
      const wanted = byName.get(element.name);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = wanted.includes(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.options) option.selected = wanted.includes(option.value);
      } else {
        element.value = wanted.shift();
      }
    }
  });
  const main = document.getElementById("main-content");
  if (main) {
    const banner = document.createElement("div");
    banner.className = "govuk-notification-banner";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-labelledby", "restored-title");
    banner.innerHTML =
      '<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="restored-title">Important</h2></div>' +
      '<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">We have put back what you had typed before you were signed out. Check it, then save.</p></div>';
    main.prepend(banner);
  }
}

export function startSessionTimeout() {
  const body = document.body;
  const lifetimeMs = Number(body.dataset.sessionSeconds) * 1000;
  const warningMs = Number(body.dataset.sessionWarningSeconds) * 1000;
  const keepAliveUrl = body.dataset.keepAliveUrl;
  // However active the person is, the server signs them out SESSION_MAX_HOURS after they signed in. It says how
  // many seconds are left rather than when, so a browser whose clock is wrong still goes at the right moment.
  const endsAtMs = now() + (Number(body.dataset.sessionEndsIn) * 1000 || Infinity);
  if (!lifetimeMs || !keepAliveUrl) return;

  const csrf = document.querySelector("input[name='csrfmiddlewaretoken']");
  let lastRenewal = now();
  let busySinceRenewal = false;
  let dialog = null;
  let previousFocus = null;
  window.localStorage.setItem(EXPIRES_KEY, String(now() + lifetimeMs));

  async function renew() {
    lastRenewal = now();
    busySinceRenewal = false;
    try {
      const response = await fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf ? csrf.value : "" },
      });
      if (response.ok && !response.redirected) {
        window.localStorage.setItem(EXPIRES_KEY, String(now() + lifetimeMs));
        return true;
      }
      // Sent to sign in: the session has already ended on the server. Keep what was typed, now.
      if (response.redirected) expire();
    } catch {
      // Offline for a moment: the next check tries again.
    }
    return false;
  }

  function closeDialog() {
    if (!dialog) return;
    dialog.remove();
    dialog = null;
    if (previousFocus) previousFocus.focus();
  }

  function openDialog(expiresAt) {
    if (dialog) return;
    previousFocus = document.activeElement;
    dialog = document.createElement("div");
    dialog.className = "app-session-warning";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-modal", "true");
    dialog.setAttribute("aria-labelledby", "session-warning-title");
    dialog.setAttribute("aria-describedby", "session-warning-text");
    dialog.tabIndex = -1;
    const minutes = Math.max(1, Math.round((expiresAt - now()) / 60000));
    dialog.innerHTML =
      '<h2 class="govuk-heading-m" id="session-warning-title">You will be signed out soon</h2>' +
      `<p class="govuk-body" id="session-warning-text">You have not done anything for a while. To protect your information, we will sign you out in about ${minutes} minute${minutes === 1 ? "" : "s"}. Anything you have typed on this page will be kept.</p>` +
      '<div class="govuk-button-group"><button type="button" class="govuk-button" data-module="govuk-button" id="session-stay">Stay signed in</button></div>';
    document.body.appendChild(dialog);
    dialog.querySelector("#session-stay").addEventListener("click", async () => {
      await renew();
      closeDialog();
    });
    dialog.focus();
  }

  let expiring = false;

  function expire() {
    if (expiring) return;
    expiring = true;
    saveForms();
    window.sessionStorage.setItem(SIGNING_IN_AGAIN_KEY, "1");
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${body.dataset.loginUrl}?expired=1&next=${next}`);
  }

  for (const type of ["input", "change", "keydown"]) {
    document.addEventListener(type, () => {
      busySinceRenewal = true;
    }, { passive: true });
  }

  window.setInterval(() => {
    if (now() >= endsAtMs) {
      expire();
      return;
    }
    const expiresAt = readExpiry(lastRenewal + lifetimeMs);
    const left = expiresAt - now();
    if (busySinceRenewal && !dialog && now() - lastRenewal > RENEW_EVERY_MS) {
      renew();
      return;
    }
    if (left <= 0) {
      expire();
    } else if (left <= warningMs) {
      openDialog(expiresAt);
    } else {
      closeDialog();
    }
  }, 1000);
}
