// Session editor: add and remove rows in the vials and sites tables, and keep the totals and
// safety panel current. The figures come from the server (the same dosing and safety code that
// runs on save); this script only posts the unsaved form and shows the answer. Without it the
// page still works: "Add rows" and "Save draft" submit, and the server shows the same panel.
(function () {
  "use strict";
  const form = document.querySelector("form[data-preview-url]");
  if (!form) return;
  const DEBOUNCE_MS = 400;
  let timer = null;
  let inFlight = null;

  // ---- rows -------------------------------------------------------------------------------
  function addRow(prefix) {
    const table = form.querySelector(`table[data-formset="${prefix}"]`);
    const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = table && table.querySelector("tr[data-empty-row]");
    if (!template || !total) return;
    const index = Number(total.value);
    const row = template.cloneNode(true);
    row.classList.remove("d-none");
    row.removeAttribute("data-empty-row");
    row.setAttribute("data-row", "");
    for (const el of row.querySelectorAll("[name], [id], [for]")) {
      for (const attr of ["name", "id", "for"]) {
        const value = el.getAttribute(attr);
        if (value) el.setAttribute(attr, value.replaceAll("__prefix__", String(index)));
      }
    }
    for (const el of row.querySelectorAll("[id^=div_id_]")) el.id = el.id.replaceAll("__prefix__", String(index));
    table.tBodies[0].appendChild(row);
    total.value = String(index + 1);
    if (prefix === "vials") filterLots();
    const first = row.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
  }

  function markRemoved(checkbox) {
    const row = checkbox.closest("tr");
    if (!row) return;
    row.classList.toggle("opacity-50", checkbox.checked);
    row.classList.toggle("text-decoration-line-through", checkbox.checked);
  }

  // ---- lots follow the session's product -------------------------------------------------
  function filterLots() {
    const product = form.querySelector("select[name='session-product']");
    if (!product) return;
    for (const select of form.querySelectorAll("select[name^='vials-'][name$='-lot']")) {
      for (const option of select.querySelectorAll("option[data-product]")) {
        const match = option.dataset.product === product.value;
        option.hidden = !match;
        option.disabled = !match && !option.selected;
      }
      for (const group of select.querySelectorAll("optgroup")) {
        group.hidden = !group.querySelector("option:not([hidden])");
      }
    }
  }

  // ---- live totals ------------------------------------------------------------------------
  function setText(name, value) {
    for (const el of document.querySelectorAll(`[data-live="${name}"]`)) el.textContent = value;
  }

  function renderList(name, items, render) {
    const list = document.querySelector(`[data-live="${name}"]`);
    if (!list) return;
    list.replaceChildren(...items.map(render));
  }

  function findingItem(finding) {
    const li = document.createElement("li");
    li.className = `list-group-item list-group-item-${finding.severity === "hard" ? "danger" : "warning"}`;
    li.dataset.code = finding.code;
    const strong = document.createElement("strong");
    strong.textContent = finding.severity === "hard" ? "Blocks signing: " : "Warning: ";
    const source = document.createElement("div");
    source.className = "small text-muted";
    source.textContent = finding.source;
    li.append(strong, document.createTextNode(finding.message), source);
    return li;
  }

  function textItem(text) {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  function render(data) {
    setText("total", data.total_label);
    setText("opened", data.opened_label);
    setText("discarded", data.discarded_label);
    setText("modifier", data.modifier_note);
    setText("cumulative", data.cumulative_label);
    setText("sites-count", String(data.sites_count));
    renderList("concentrations", data.concentrations, textItem);
    renderList("findings", data.findings, findingItem);
    renderList("input-problems", data.input_problems, textItem);
    const none = document.querySelector("[data-live='no-findings']");
    if (none) none.hidden = data.findings.length > 0;
    setText("status", "Updated");
  }

  async function refresh() {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    setText("status", "Checking…");
    try {
      const response = await fetch(form.dataset.previewUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: inFlight.signal,
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      render(await response.json());
    } catch (error) {
      if (error.name !== "AbortError") setText("status", "Could not update the totals; they are checked again on save.");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  }

  // ---- wiring -------------------------------------------------------------------------------
  form.addEventListener("click", (event) => {
    const button = event.target.closest("[data-add-row]");
    if (!button) return;
    event.preventDefault();
    addRow(button.dataset.addRow);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.endsWith("-DELETE")) markRemoved(event.target);
    if (event.target.name === "session-product") filterLots();
    schedule();
  });
  form.addEventListener("input", schedule);
  for (const box of form.querySelectorAll("input[name$='-DELETE']")) markRemoved(box);
  filterLots();
})();
