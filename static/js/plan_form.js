// Plan form: when an indication is picked, show only its ICD-10 codes and protocol templates and
// fill the cycle and minimum interval with its defaults. The server validates the same rules;
// this only saves the clinician from scrolling past other indications' codes.
(function () {
  "use strict";
  const form = document.querySelector("form[data-plan-form]");
  if (!form) return;
  const indication = form.querySelector("select[name=indication]");
  const filtered = ["diagnosis_code", "protocol_template"]
    .map((name) => form.querySelector(`select[name=${name}]`))
    .filter(Boolean);

  function filterOptions(select, indicationId) {
    for (const group of select.querySelectorAll("optgroup")) {
      let visible = 0;
      for (const option of group.querySelectorAll("option")) {
        const match = !indicationId || option.dataset.indication === indicationId;
        option.hidden = !match;
        option.disabled = !match;
        if (match) visible += 1;
      }
      group.hidden = visible === 0;
    }
    const chosen = select.selectedOptions[0];
    if (chosen && chosen.disabled) select.value = "";
    const options = select.querySelectorAll("option:not([disabled])");
    const real = Array.from(options).filter((o) => o.value);
    if (!select.value && real.length === 1 && select.name === "diagnosis_code") select.value = real[0].value;
  }

  function applyDefaults(option, userChanged) {
    if (!option || !option.value) return;
    for (const [field, key] of [["cycle_weeks", "cycleWeeks"], ["minimum_interval_weeks", "minimumInterval"]]) {
      const input = form.querySelector(`input[name=${field}]`);
      if (input && (userChanged || !input.value)) input.value = option.dataset[key] || input.value;
    }
  }

  function update(userChanged) {
    const id = indication.value;
    filtered.forEach((select) => filterOptions(select, id));
    applyDefaults(indication.selectedOptions[0], userChanged);
  }

  indication.addEventListener("change", () => update(true));
  update(false);
})();
