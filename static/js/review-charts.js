// Draws a project card's indicator charts on the reviewer's return page when the reader opens them.
//
// The page carries each chart's title, summary and figures table (templates/charts/_chart.html) but not its
// drawing: drawing every chart of every project was most of what the page cost, and most are never opened.
// The card's details element names the URL of its project's drawings (reviews:return_project_charts); the
// first time it opens we fetch them and put each SVG in its figure. Without JavaScript, or if the fetch
// fails, the figures table is there all the same (and the next opening tries again).

async function draw(group) {
  group.dataset.chartsState = "drawing";
  try {
    const response = await fetch(group.dataset.chartsSrc, {
      headers: { "X-Requested-With": "fetch", Accept: "text/html" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const drawings = template.content.querySelectorAll("[data-chart-drawing]");
    if (!drawings.length) throw new Error("no drawings"); // e.g. the sign-in page, after a sign-out
    drawings.forEach((drawing) => {
      const figure = document.getElementById(`chart-${drawing.dataset.chartDrawing}`);
      const image = figure && group.contains(figure) ? figure.querySelector(".app-chart__image") : null;
      if (!image) return;
      image.replaceChildren(...drawing.childNodes);
      // Now an image, named like a drawn one (templates/charts/_chart.html) by the chart's title and summary.
      image.setAttribute("role", "img");
      image.setAttribute("aria-labelledby", `${figure.id}-title ${figure.id}-summary`);
    });
    group.dataset.chartsState = "drawn";
  } catch {
    delete group.dataset.chartsState;
  }
}

document.querySelectorAll("details[data-charts-src]").forEach((group) => {
  const open = () => {
    if (group.open && !group.dataset.chartsState) draw(group);
  };
  group.addEventListener("toggle", open);
  open(); // already open: a details element the browser restored open
});
