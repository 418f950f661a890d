// Keeps an export's status page up to date while the worker prepares the file.
//
// The page carries data-export-status-url while the export is queued or running. We poll that JSON
// every two seconds and reload the page when the status changes, so the server renders the next state
// (download button, or the error and "Try again"). Without JavaScript the page's Refresh link does
// the same. A reload alone is silent for screen readers, so before reloading we leave a note in
// sessionStorage; the reloaded page then fills its live region, which is announced.

const POLL_MS = 2000;
const ANNOUNCE_KEY = "csp-returns:export-announce";

function announceAfterReload() {
  const region = document.querySelector("[data-export-announce]");
  if (!region || window.sessionStorage.getItem(ANNOUNCE_KEY) !== window.location.pathname) {
    return;
  }
  window.sessionStorage.removeItem(ANNOUNCE_KEY);
  // Changing the text after load is what makes assistive technology read it out.
  window.setTimeout(() => {
    region.textContent = region.getAttribute("data-export-announce");
  }, 250);
}

function poll(element) {
  const url = element.getAttribute("data-export-status-url");
  const shown = element.getAttribute("data-export-status");

  async function check() {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", redirect: "manual" });
      if (response.ok) {
        const data = await response.json();
        if (data.status !== shown) {
          window.sessionStorage.setItem(ANNOUNCE_KEY, window.location.pathname);
          window.location.reload();
          return;
        }
      } else if (response.status !== 502 && response.status !== 503) {
        // Signed out or no longer allowed: stop, and let the Refresh link show the real page.
        return;
      }
    } catch {
      // A network blip: try again on the next tick.
    }
    window.setTimeout(check, POLL_MS);
  }

  window.setTimeout(check, POLL_MS);
}

announceAfterReload();
const element = document.querySelector("[data-export-status-url]");
if (element) {
  poll(element);
}
