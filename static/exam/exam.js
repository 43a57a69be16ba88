// The written test: every answer is saved when given. Unsent answers live in localStorage
// (per attempt) until the server acknowledges them, and are re-sent on reconnect, on a
// retry timer and on the next page load. Each answer carries a sequence number (the time
// in ms, never lower than the slot's previous one) so the server keeps the newest only.
(function () {
  "use strict";
  var root = document.getElementById("exam");
  if (!root) { return; }
  var saveUrl = root.dataset.saveUrl;
  var storeKey = "kompeten-exam-" + root.dataset.attempt;
  var csrf = root.querySelector("[name=csrfmiddlewaretoken]").value;
  var texts = root.dataset;
  var pending = load();
  var inFlight = {};
  var closed = false;
  var retryDelay = 2000;
  var retryTimer = null;
  var deadline = Date.now() + Number(root.dataset.secondsLeft) * 1000;

  function load() {
    try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* full */ }
  }
  function items() { return document.querySelectorAll(".exam-item"); }
  function itemOf(slot) { return document.querySelector('.exam-item[data-slot="' + slot + '"]'); }

  function setStatus(slot, saved) {
    var badge = document.getElementById("status-" + slot);
    if (!badge) { return; }
    badge.textContent = saved ? texts.textSaved : texts.textUnsaved;
    badge.className = "badge ms-2 item-status " + (saved ? "text-bg-success" : "text-bg-warning");
    badge.dataset.saved = saved ? "1" : "0";
  }
  function updateOverall() {
    var count = Object.keys(pending).length;
    var overall = document.getElementById("overall");
    overall.textContent = count ? count + " " + texts.textSomeUnsaved : texts.textAllSaved;
    overall.className = "badge fs-6 " + (count ? "text-bg-warning" : "text-bg-success");
    overall.dataset.unsaved = String(count);
  }
  function showConnection(message) {
    document.getElementById("connection").textContent = message || "";
  }

  function nextSeq(slot) {
    var item = itemOf(slot);
    var last = Math.max(Number(item.dataset.seq) || 0, pending[slot] ? pending[slot].seq : 0);
    return Math.max(Date.now(), last + 1);
  }

  function record(slot, answer) {
    if (closed) { return; }
    answer.seq = nextSeq(slot);
    pending[slot] = answer;
    persist();
    setStatus(slot, false);
    updateOverall();
    send(slot);
  }

  function send(slot) {
    var answer = pending[slot];
    if (!answer || closed) { return; }
    if (inFlight[slot] && inFlight[slot] >= answer.seq) { return; }
    inFlight[slot] = answer.seq;
    var body = new URLSearchParams();
    body.set("slot", slot);
    body.set("seq", String(answer.seq));
    body.set("kind", answer.kind);
    if (answer.kind === "choice") { body.set("choice", answer.value); }
    if (answer.kind === "text") { body.set("text", answer.value); }
    fetch(saveUrl, {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, "X-Requested-With": "fetch"}
    }).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      if (inFlight[slot] === answer.seq) { delete inFlight[slot]; }
      acknowledge(slot, answer.seq, data);
      showConnection("");
      retryDelay = 2000;
    }).catch(function () {
      if (inFlight[slot] === answer.seq) { delete inFlight[slot]; }
      showConnection(texts.textOffline);
      scheduleRetry();
    });
  }

  function acknowledge(slot, seq, data) {
    if (typeof data.seconds_left === "number" && data.status !== "closed") {
      deadline = Date.now() + data.seconds_left * 1000;
    }
    var item = itemOf(slot);
    if (data.status === "saved" || data.status === "stale") {
      // Stored: this answer, or a newer one from another tab or device.
      var stored = Math.max(data.seq || seq, Number(item.dataset.seq) || 0);
      item.dataset.seq = String(stored);
      if (pending[slot] && pending[slot].seq <= stored) {
        delete pending[slot];
        persist();
        setStatus(slot, true);
      }
    } else if (data.status === "closed") {
      timeUp(data.message);
    } else {
      delete pending[slot];
      persist();
      setStatus(slot, false);
      showConnection(data.message);
    }
    updateOverall();
  }

  function flush() {
    Object.keys(pending).forEach(send);
  }
  function scheduleRetry() {
    if (retryTimer || closed) { return; }
    retryTimer = setTimeout(function () {
      retryTimer = null;
      flush();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  }

  function timeUp(message) {
    if (closed) { return; }
    closed = true;
    document.querySelectorAll(".exam-item input, .exam-item textarea").forEach(function (el) {
      el.disabled = true;
    });
    showConnection(message || texts.textTimeUp);
    setTimeout(function () { window.location.reload(); }, 4000);
  }

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    document.getElementById("time-left").textContent =
      (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
    if (left === 0) { timeUp(); } else { setTimeout(tick, 1000); }
  }

  // Answers not yet acknowledged before a reload: shown again and re-sent.
  Object.keys(pending).forEach(function (slot) {
    var item = itemOf(slot);
    var answer = pending[slot];
    if (!item || answer.seq <= (Number(item.dataset.seq) || 0)) {
      delete pending[slot];
      return;
    }
    if (answer.kind === "choice") {
      var radio = item.querySelector('input[value="' + answer.value + '"]');
      if (radio) { radio.checked = true; }
    } else if (answer.kind === "text") {
      item.querySelector("textarea").value = answer.value;
    }
    setStatus(slot, false);
  });
  persist();

  var typing = {};
  items().forEach(function (item) {
    var slot = item.dataset.slot;
    item.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        record(slot, {kind: "choice", value: event.target.value});
      } else if (event.target.tagName === "TEXTAREA") {
        clearTimeout(typing[slot]);
        record(slot, {kind: "text", value: event.target.value});
      }
    });
    item.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA") { return; }
      clearTimeout(typing[slot]);
      setStatus(slot, false);
      typing[slot] = setTimeout(function () {
        record(slot, {kind: "text", value: event.target.value});
      }, 800);
    });
  });

  window.addEventListener("online", function () { retryDelay = 2000; flush(); });
  window.addEventListener("offline", function () { showConnection(texts.textOffline); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { flush(); }
  });
  var finish = document.getElementById("finish-form");
  finish.addEventListener("submit", function (event) {
    var button = document.getElementById("finish");
    var unsaved = Object.keys(pending).length;
    if (!window.confirm(button.dataset.confirm + (unsaved ? " (" + unsaved + " " +
        texts.textSomeUnsaved + ")" : ""))) {
      event.preventDefault();
    }
  });
  updateOverall();
  flush();
  tick();
}());
