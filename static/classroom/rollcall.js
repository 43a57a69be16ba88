// Roll call on a phone with a poor connection: every mark is queued in localStorage with a
// client id (UUID) and sent in order; a mark leaves the queue only when the server answered.
// A mark re-sent after a lost answer carries the same id, so the server applies it once.
(function () {
  "use strict";
  var root = document.getElementById("roll-call");
  if (!root) return;
  var url = root.dataset.markUrl;
  var key = "kompeten-rollcall-" + root.dataset.session;
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var pendingBadge = document.getElementById("pending-count");
  var sending = false;
  var retryTimer = null;

  function uuid4() {
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(key, JSON.stringify(queue)); }
  function row(registration) { return root.querySelector('[data-registration="' + registration + '"]'); }

  function show(registration, status, state, message) {
    var r = row(registration);
    if (!r) return;
    r.querySelectorAll("button[data-status]").forEach(function (btn) {
      var on = btn.dataset.status === status;
      btn.classList.toggle("active", on);
      btn.setAttribute("aria-pressed", on ? "true" : "false");
    });
    var label = r.querySelector(".mark-state");
    label.textContent = message || (state === "sent" ? label.dataset.sent : label.dataset.pending);
    label.className = "mark-state small " + (state === "sent" ? "text-success" : state === "error" ? "text-danger" : "text-warning");
  }
  function refreshCount() {
    var n = load().length;
    pendingBadge.textContent = n;
    pendingBadge.parentElement.classList.toggle("d-none", n === 0);
  }
  function retryLater() {
    if (!retryTimer) retryTimer = setTimeout(function () { retryTimer = null; flush(); }, 5000);
  }
  function flush() {
    if (sending) return;
    var queue = load();
    if (!queue.length) { refreshCount(); return; }
    var mark = queue[0];
    sending = true;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(mark)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        sending = false;
        if (response.ok && typeof data.ok === "boolean") {
          save(load().filter(function (m) { return m.client_id !== mark.client_id; }));
          if (data.ok) show(mark.registration, data.status, "sent");
          else show(mark.registration, null, "error", data.error || "");
          refreshCount();
          flush();
        } else {
          retryLater();
          refreshCount();
        }
      });
    }).catch(function () { sending = false; refreshCount(); retryLater(); });
  }

  root.addEventListener("click", function (event) {
    var btn = event.target.closest("button[data-status]");
    if (!btn) return;
    var r = btn.closest("[data-registration]");
    var reason = "";
    if (btn.dataset.status === "excused") {
      var input = r.querySelector("input[name=reason]");
      input.parentElement.classList.remove("d-none");
      reason = input.value.trim();
      if (!reason) { input.focus(); show(r.dataset.registration, null, "error", input.dataset.required); return; }
    }
    var queue = load();
    queue.push({client_id: uuid4(), registration: r.dataset.registration, status: btn.dataset.status, reason: reason});
    save(queue);
    show(r.dataset.registration, btn.dataset.status, "pending");
    refreshCount();
    flush();
  });
  window.addEventListener("online", flush);
  load().forEach(function (m) { show(m.registration, m.status, "pending"); });
  refreshCount();
  flush();
})();
