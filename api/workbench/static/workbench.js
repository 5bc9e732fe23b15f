// CasaPay Review workbench: keyboard shortcuts, evidence boxes, edit markers. No build step.
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const typing = (el) => el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));

  function go(el) { if (el && el.href) { window.location.href = el.href; } }

  // ---- help dialog
  function openHelp() { const d = $("#help"); if (d && !d.open) d.showModal(); }
  $$("[data-action=help]").forEach((b) => b.addEventListener("click", openHelp));

  // ---- queue page
  const queue = $("[data-queue]");
  let selected = 0;
  function rows() { return queue ? $$("tbody tr[data-href]", queue) : []; }
  function select(i) {
    const r = rows();
    if (!r.length) return;
    selected = Math.max(0, Math.min(i, r.length - 1));
    r.forEach((row, j) => row.classList.toggle("selected", j === selected));
    r[selected].scrollIntoView({ block: "nearest" });
  }
  if (queue) {
    select(0);
    rows().forEach((row) => row.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) return;
      window.location.href = row.dataset.href;
    }));
  }
  $$("form[data-autosubmit] select").forEach((s) => s.addEventListener("change", () => s.form.submit()));

  // ---- item page: evidence boxes on the page image
  $$(".box").forEach((box) => {
    for (const side of ["left", "top", "width", "height"]) box.style[side] = box.dataset[side] + "%";
  });
  function fieldEl(name) { return $(`.field[data-field="${name}"]`); }
  function highlight(name, on) {
    $$(`.box[data-field="${name}"]`).forEach((b) => b.classList.toggle("active", on));
    const f = fieldEl(name);
    if (f) f.classList.toggle("active", on);
  }
  function focusField(name) {
    const f = fieldEl(name);
    if (!f) return;
    const input = $("input:not([type=hidden])", f);
    if (input) { input.focus(); if (input.select) input.select(); }
  }
  $$(".box").forEach((box) => {
    box.addEventListener("mouseenter", () => highlight(box.dataset.field, true));
    box.addEventListener("mouseleave", () => highlight(box.dataset.field, false));
    box.addEventListener("click", () => focusField(box.dataset.field));
  });
  $$(".field").forEach((f) => {
    const name = f.dataset.field;
    f.addEventListener("focusin", () => {
      highlight(name, true);
      const box = $(`.box[data-field="${name}"]`);
      if (box) box.scrollIntoView({ block: "nearest", behavior: "smooth" });
    });
    f.addEventListener("focusout", () => highlight(name, false));
    f.addEventListener("mouseenter", () => highlight(name, true));
    f.addEventListener("mouseleave", () => { if (!f.contains(document.activeElement)) highlight(name, false); });
  });
  $$(".reasons-list li[data-field]").forEach((li) => li.addEventListener("click", () => focusField(li.dataset.field)));

  // ---- edit markers: what the reviewer changed, before they approve
  const approveForm = $("#approve-form");
  const approveBtn = $("#approve");
  function refreshEdits() {
    let count = 0;
    $$(".field").forEach((f) => {
      const inputs = $$("input[name]", f);
      const lines = f.dataset.field === "line_items";
      const changed = lines
        ? inputs.some((i) => i.dataset.original === undefined || i.value.trim() !== i.dataset.original) ||
          $$("tbody tr", f).length !== Number(f.dataset.lineCount || 0)
        : inputs.some((i) => i.value.trim() !== (i.dataset.original || ""));
      f.classList.toggle("changed", changed);
      const badge = $(".edited", f);
      if (badge) badge.hidden = !changed;
      if (changed) count += 1;
    });
    if (approveBtn) {
      approveBtn.firstChild.textContent = count
        ? `Approve & bill with ${count} correction${count > 1 ? "s" : ""} `
        : "Approve & bill ";
    }
  }
  const lineField = fieldEl("line_items");
  if (lineField) lineField.dataset.lineCount = String($$("tbody tr", lineField).length);
  if (approveForm) {
    approveForm.addEventListener("input", refreshEdits);
    refreshEdits();
  }

  // ---- line items: add and remove rows, keeping line_items[i][...] names in order
  function renumber() {
    $$("#f-line_items tbody tr").forEach((tr, i) => {
      $$("input", tr).forEach((input) => {
        input.name = input.name.replace(/line_items\[\d+\]/, `line_items[${i}]`);
      });
    });
    refreshEdits();
  }
  document.addEventListener("click", (ev) => {
    const add = ev.target.closest("[data-action=add-line]");
    const remove = ev.target.closest("[data-action=remove-line]");
    if (add) {
      const body = $("#f-line_items tbody");
      const tr = document.createElement("tr");
      tr.innerHTML = '<td><input name="line_items[0][description]" aria-label="Description"></td>' +
        '<td class="num"><input class="money" name="line_items[0][amount]" inputmode="decimal" aria-label="Amount"></td>' +
        '<td><button type="button" class="icon" data-action="remove-line" title="Remove line">×</button></td>';
      body.appendChild(tr);
      renumber();
      $("input", tr).focus();
    } else if (remove) {
      remove.closest("tr").remove();
      renumber();
    }
  });

  // ---- reject panel
  const rejectForm = $("#reject-form");
  function openReject() {
    if (!rejectForm) return;
    rejectForm.hidden = false;
    $("#reject-reason").focus();
  }
  function closeReject() { if (rejectForm) rejectForm.hidden = true; }
  $$("[data-action=reject]").forEach((b) => b.addEventListener("click", openReject));
  $$("[data-action=reject-cancel]").forEach((b) => b.addEventListener("click", closeReject));
  function rejectWith(text) {
    $("#reject-reason").value = text;
    submit(rejectForm);
  }
  $$("[data-preset]").forEach((b) => b.addEventListener("click", () => rejectWith(b.dataset.preset)));

  // One decision per page: a second key press must not post twice.
  let submitting = false;
  function submit(form) {
    if (!form || submitting) return;
    if (form.reportValidity && !form.reportValidity()) return;
    submitting = true;
    $$("button[type=submit], .decision .btn").forEach((b) => b.setAttribute("aria-disabled", "true"));
    form.requestSubmit ? form.requestSubmit() : form.submit();
  }
  $$("form").forEach((f) => f.addEventListener("submit", (ev) => {
    if (f.dataset.sent) { ev.preventDefault(); return; }
    f.dataset.sent = "1";
  }));

  // ---- keyboard
  document.addEventListener("keydown", (ev) => {
    const t = ev.target;
    if ($("#help") && $("#help").open) return;
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") {
      ev.preventDefault();
      if (rejectForm && !rejectForm.hidden && rejectForm.contains(t)) submit(rejectForm);
      else if (approveBtn) submit(approveForm);
      return;
    }
    if (ev.key === "Escape") {
      if (rejectForm && !rejectForm.hidden) { closeReject(); t.blur && t.blur(); return; }
      if (typing(t)) { t.blur(); return; }
    }
    // In the still-empty reason box, a digit picks a preset reason (shown as 1, 2, 3...).
    const quickPick = t.id === "reject-reason" && t.value === "" && /^[1-9]$/.test(ev.key);
    if ((typing(t) && !quickPick) || ev.ctrlKey || ev.metaKey || ev.altKey) {
      if (t.id === "reject-reason" && ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); submit(rejectForm); }
      return;
    }
    if (rejectForm && !rejectForm.hidden && /^[1-9]$/.test(ev.key)) {
      const preset = $$("[data-preset]")[Number(ev.key) - 1];
      if (preset) { ev.preventDefault(); rejectWith(preset.dataset.preset); }
      return;
    }
    switch (ev.key) {
      case "?": ev.preventDefault(); openHelp(); break;
      case "j": if (queue) { ev.preventDefault(); select(selected + 1); } break;
      case "k": if (queue) { ev.preventDefault(); select(selected - 1); } break;
      case "Enter": case "o":
        if (queue && rows().length) { ev.preventDefault(); window.location.href = rows()[selected].dataset.href; }
        break;
      case "a": if (approveBtn) { ev.preventDefault(); submit(approveForm); } break;
      case "r": if (rejectForm) { ev.preventDefault(); openReject(); } break;
      case "n": { const n = $("[data-shortcut=n]"); if (n) { ev.preventDefault(); go(n); } break; }
      case "u": { const u = $("[data-shortcut=u]"); if (u) { ev.preventDefault(); go(u); } break; }
      case "e": {
        const first = $(".field input:not([type=hidden]):not([disabled])");
        if (first) { ev.preventDefault(); first.focus(); first.select && first.select(); }
        break;
      }
      default: break;
    }
  });
})();
