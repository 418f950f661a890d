// Saves the review page's commentary in place, so the reviewer stays beside the part of the return they read.
//
// Each card's form (templates/reviews/review/_commentary_card.html) works without this script: it posts,
// and the server brings the reviewer back to the card with a confirmation there. With it, we post the
// same form with fetch and the header X-Requested-With: fetch; the server answers with the card as it
// is now (saved, with its new version, or with the messages next to the fields) and we swap it in. The
// confirmation, or the problem, is written into the page's polite live region for screen readers.
// A conflict (409), a sign-out or any other surprise: the form is posted again the ordinary way, so
// the server's own page answers (the shared conflict page, the sign-in page).

const announcer = document.querySelector("[data-review-announce]");

function announce(text) {
  if (!announcer) return;
  // Emptied first, so the same words said twice in a row are announced twice.
  announcer.textContent = "";
  window.setTimeout(() => {
    announcer.textContent = text;
  }, 100);
}

function postTheOrdinaryWay(form) {
  // The prototype's submit: a control named "submit" would hide form.submit, and it skips our listener.
  HTMLFormElement.prototype.submit.call(form);
}

async function saveInPlace(form) {
  const holder = form.closest("[data-review-commentary]");
  let answer;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch", Accept: "application/json" },
      credentials: "same-origin",
    });
    const json = (response.headers.get("Content-Type") || "").includes("application/json");
    answer = json ? await response.json() : null;
  } catch {
    answer = null;
  }
  if (!holder || !answer || typeof answer.html !== "string" || answer.conflict) {
    postTheOrdinaryWay(form);
    return;
  }
  // Only the latest save is confirmed: earlier cards' confirmations go.
  document.querySelectorAll("[data-review-saved]").forEach((banner) => banner.remove());
  const template = document.createElement("template");
  template.innerHTML = answer.html.trim();
  const card = template.content.firstElementChild;
  holder.replaceWith(card);
  if (answer.ok) {
    const saved = card.querySelector("[data-review-saved]");
    // Focus scrolls the confirmation into view if the shorter card left it above the screen.
    if (saved) saved.focus();
    announce(answer.message);
    return;
  }
  const problems = Array.from(card.querySelectorAll(".govuk-error-message"), (el) =>
    el.textContent.replace(/^\s*Error:\s*/, "").trim()
  );
  const invalid =
    card.querySelector(".govuk-form-group--error textarea, .govuk-form-group--error input:not([type=hidden])") ||
    card.querySelector("textarea");
  if (invalid) invalid.focus();
  announce(`There is a problem: ${problems.join(". ")}`);
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-review-inline")) return;
  event.preventDefault();
  if (form.dataset.saving) return; // a second click while the first save is on its way
  form.dataset.saving = "true";
  saveInPlace(form).finally(() => {
    delete form.dataset.saving;
  });
});
