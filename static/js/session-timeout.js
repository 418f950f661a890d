// Warns before an idle session ends, lets the person stay signed in, and never loses a form.
//
// The server ends a session after SESSION_IDLE_MINUTES without a request. Typing is not a
// request, so while someone is busy in a form we renew the session in the background. If
// they really are away, we warn them; if time runs out, we keep what they typed in this
// browser, send them to sign in, and put it back on the same page afterwards.

const STORE_PREFIX = "csp-returns:form:";
const EXPIRES_KEY = "csp-returns:session-expires-at";
const RENEW_EVERY_MS = 60 * 1000;

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

function formsToKeep() {
  return Array.from(document.querySelectorAll("form[method='post' i]")).filter(
    (form) => !form.hasAttribute("data-no-keep") && !form.closest(".govuk-header")
  );
}

function saveForms() {
  const saved = formsToKeep().map((form) => {
    const values = [];
    for (const element of form.elements) {
      if (!element.name || element.type === "file" || element.type === "password" || element.name === "csrfmiddlewaretoken") continue;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
      values.push([element.name, element.value]);
    }
    return values;
  });
  if (saved.some((values) => values.length)) {
    window.localStorage.setItem(storeKey(window.location.pathname), JSON.stringify({ savedAt: now(), forms: saved }));
  }
}

export function restoreSavedForms() {
  const key = storeKey(window.location.pathname);
  const raw = window.localStorage.getItem(key);
  if (!raw || !document.body.dataset.sessionSeconds) return;
  window.localStorage.removeItem(key);
  let data;
  try {
    data = JSON.parse(raw);
  } catch {
    return;
  }
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

  function expire() {
    saveForms();
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${body.dataset.loginUrl}?expired=1&next=${next}`);
  }

  for (const type of ["input", "change", "keydown"]) {
    document.addEventListener(type, () => {
      busySinceRenewal = true;
    }, { passive: true });
  }

  window.setInterval(() => {
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
