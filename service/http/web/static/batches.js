// The batch page: send the articles to the jobs API, watch the job, cancel it, list this browser's jobs.
(function () {
  "use strict";
  const root = document.querySelector("[data-batches]");
  if (!root) return;
  const JOBS_API = "/v1/batches";
  const STORAGE_KEY = "digest-batch-jobs";
  const KEPT_JOBS = 20;
  const POLL_MS = 1000;
  const RETRY_MS = 5000;
  const maxBytes = Number(root.dataset.maxBytes);
  const maxSize = root.dataset.maxSize;
  const jobId = root.dataset.jobId;

  // ---- the jobs this browser started --------------------------------------------------------
  function rememberedJobs() {
    try {
      const ids = JSON.parse(localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(ids) ? ids.filter((id) => typeof id === "string") : [];
    } catch (error) {
      return [];
    }
  }

  function storeJobs(ids) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(ids.slice(0, KEPT_JOBS)));
    } catch (error) {
      // storage full or off: the list is a convenience, the job itself runs on the server
    }
  }

  const remember = (id) => storeJobs([id, ...rememberedJobs().filter((known) => known !== id)]);
  const forget = (id) => storeJobs(rememberedJobs().filter((known) => known !== id));
  const jobUrl = (id) => `${JOBS_API}/${encodeURIComponent(id)}`;

  // ---- errors in plain sentences -------------------------------------------------------------
  function sentence(text) {
    const trimmed = String(text || "").trim().replace(/\.$/, "");
    return trimmed ? trimmed.charAt(0).toUpperCase() + trimmed.slice(1) + "." : "";
  }

  async function problemOf(response) {
    try {
      return await response.json();
    } catch (error) {
      return {};
    }
  }

  async function explain(response, known) {
    const problem = known || (await problemOf(response));
    const wait = response.headers.get("Retry-After");
    switch (response.status) {
      case 401:
        return "This server needs an API key: reload the page and sign in with it (any user name, the key as password).";
      case 404:
        return "No batch job has this id on this server: it may have been cleared, or started on another server.";
      case 413:
        return `The upload is larger than this server accepts (${maxSize}): split it into several jobs.`;
      case 429:
        return `Too many requests with this API key: wait ${wait ? `${wait} seconds` : "a minute"} and try again.`;
      default:
        if (response.status >= 500) {
          return `${sentence(problem.detail) || "The server failed."} Try again in a minute.`;
        }
        return sentence(problem.detail) || `The server answered ${response.status}.`;
    }
  }

  const UNREACHABLE = "The server did not answer: check that it is running, then try again.";

  // ---- one job: its state, counts, results and cancel ---------------------------------------
  const STATE_TEXT = {
    queued: (s) => `Queued: ${s.total} article${s.total === 1 ? "" : "s"}, none done yet.`,
    running: (s) => `Running: ${s.done} of ${s.total} articles done.`,
    done: (s) => `Done: all ${s.total} articles have a result (${s.done - s.failed} digest${s.done - s.failed === 1 ? "" : "s"}, ${s.failed} problem${s.failed === 1 ? "" : "s"}).`,
    cancelled: (s) => `Cancelled after ${s.done} of ${s.total} articles: the results made so far stay.`,
  };
  const isActive = (status) => status.state === "queued" || status.state === "running";

  function describe(status) {
    const text = STATE_TEXT[status.state];
    return text ? text(status) : `State: ${status.state}.`;
  }

  function watchJob(id) {
    const panel = document.getElementById("job");
    const stateLine = document.getElementById("job-state");
    const progress = document.getElementById("job-progress");
    const counts = document.getElementById("job-counts");
    const actions = document.getElementById("job-actions");
    const cancel = document.getElementById("job-cancel");
    let timer = null;

    function show(status) {
      stateLine.textContent = describe(status);
      panel.dataset.state = status.state;
      progress.value = status.progress;
      progress.hidden = false;
      for (const cell of counts.querySelectorAll("[data-count]")) {
        cell.textContent = Number(status[cell.dataset.count]).toLocaleString("en");
      }
      counts.hidden = false;
      actions.hidden = false;
      cancel.hidden = !isActive(status);
      const listed = listingMeta.get(status.id);
      if (listed) listed.textContent = listingText(status);
    }

    function gone(message) {
      stateLine.textContent = message;
      panel.dataset.state = "unknown";
      progress.hidden = true;
      counts.hidden = true;
      actions.hidden = true;
    }

    async function poll() {
      timer = null;
      let response;
      try {
        response = await fetch(jobUrl(id), { headers: { Accept: "application/json" } });
      } catch (error) {
        stateLine.textContent = `${UNREACHABLE} Asking again in a few seconds.`;
        timer = setTimeout(poll, RETRY_MS);
        return;
      }
      if (response.status === 404) {
        forget(id);
        gone(await explain(response));
        return;
      }
      if (!response.ok) {
        stateLine.textContent = `${await explain(response)} Asking again in a few seconds.`;
        timer = setTimeout(poll, RETRY_MS);
        return;
      }
      const status = await response.json();
      show(status);
      if (isActive(status)) timer = setTimeout(poll, POLL_MS);
    }

    cancel.addEventListener("click", async () => {
      cancel.setAttribute("aria-disabled", "true");
      let response;
      try {
        response = await fetch(jobUrl(id), { method: "DELETE", headers: { Accept: "application/json" } });
      } catch (error) {
        response = null;
      }
      cancel.removeAttribute("aria-disabled");
      if (response && response.ok) {
        if (timer) clearTimeout(timer);
        show(await response.json());
        renderRecent();
      } else {
        stateLine.textContent = `The job was not cancelled: ${response ? await explain(response) : UNREACHABLE}`;
      }
    });

    poll();
  }

  // ---- a new job ----------------------------------------------------------------------------
  const form = document.getElementById("batch-form");
  const filesInput = document.getElementById("field-files");
  const linesInput = document.getElementById("field-lines");
  const errorBox = document.getElementById("batch-error");
  const errorText = document.getElementById("batch-error-message");
  const recordButton = document.getElementById("batch-record");
  const busy = document.getElementById("batch-busy");
  let lastUpload = null;
  let sending = false;

  class UploadError extends Error {}

  async function textFile(file) {
    try {
      return new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
    } catch (error) {
      throw new UploadError(`${file.name} is not UTF-8 text: save it as UTF-8 and choose it again.`);
    }
  }

  // The body exactly as the API takes it: a .jsonl or .json file is read as UTF-8 (one that is not is
  // named here) and sent as it is, the server naming its bad lines; .txt files become a JSON list with
  // their names as ids; any other file is refused before sending.
  async function upload() {
    const files = Array.from(filesInput.files);
    const pasted = linesInput.value;
    if (files.length && pasted.trim()) {
      throw new UploadError("Choose files or paste lines, not both: clear one of them.");
    }
    if (!files.length && !pasted.trim()) {
      throw new UploadError("Choose a JSONL file or .txt files, or paste JSON lines, then start the job.");
    }
    const size = files.reduce((sum, file) => sum + file.size, 0) + new Blob([pasted]).size;
    if (size > maxBytes) {
      throw new UploadError(`The upload is larger than this server accepts (${maxSize}): split it into several jobs.`);
    }
    if (!files.length) return { body: pasted, type: "application/jsonl" };
    const texts = files.filter((file) => /\.txt$/i.test(file.name));
    if (texts.length === files.length) {
      const articles = [];
      for (const file of files) articles.push({ id: file.name, text: await textFile(file) });
      return { body: JSON.stringify(articles), type: "application/json" };
    }
    if (files.length > 1) {
      throw new UploadError("Choose one JSONL file, or one or more .txt files (one article each).");
    }
    const file = files[0];
    if (!/\.(jsonl|ndjson|json)$/i.test(file.name)) {
      throw new UploadError(
        `${file.name} is not a file this page reads: choose a .jsonl file (one {"text": "..."} per line), ` +
          "a .json list of such articles, or .txt files (one article each).",
      );
    }
    const type = /\.json$/i.test(file.name) ? "application/json" : "application/jsonl";
    return { body: await textFile(file), type };
  }

  function showError(message, canRecord) {
    errorText.textContent = message;
    recordButton.hidden = !canRecord;
    errorBox.hidden = false;
    errorBox.focus();
  }

  async function submit(prepared, recordInvalid) {
    const query = new URLSearchParams({ engine: prepared.engine });
    if (recordInvalid) query.set("invalid", "record");
    busy.textContent = "Sending the articles…";
    let response;
    try {
      response = await fetch(`${JOBS_API}?${query}`, {
        method: "POST",
        headers: { "Content-Type": prepared.type, Accept: "application/json" },
        body: prepared.body,
      });
    } catch (error) {
      busy.textContent = "";
      showError(UNREACHABLE, false);
      return;
    }
    if (response.status === 202) {
      const status = await response.json();
      remember(status.id);
      busy.textContent = "The job has started.";
      window.location.assign(`/batches/${encodeURIComponent(status.id)}`);
      return;
    }
    busy.textContent = "";
    const problem = await problemOf(response);
    const fixable =
      !recordInvalid && problem.type === "/problems/invalid-batch" && /cannot be digested/.test(problem.detail);
    const advice = fixable ? " Correct them and start again, or start the job without them." : "";
    showError(`${await explain(response, problem)}${advice}`, fixable);
  }

  async function send(recordInvalid) {
    if (sending) return;
    sending = true;
    try {
      if (!recordInvalid || !lastUpload) {
        const engine = form.querySelector("input[name=engine]:checked");
        lastUpload = { ...(await upload()), engine: engine ? engine.value : "auto" };
      }
      errorBox.hidden = true;
      await submit(lastUpload, recordInvalid);
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      showError(error.message, false);
    } finally {
      sending = false;
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send(false);
  });
  recordButton.addEventListener("click", () => send(true));
  // A changed choice is a new upload: the "start anyway" offer was about the previous one.
  for (const input of [filesInput, linesInput]) {
    input.addEventListener("input", () => {
      lastUpload = null;
      recordButton.hidden = true;
    });
  }

  // ---- the recent jobs ----------------------------------------------------------------------
  const recentList = document.getElementById("recent-list");
  const recentEmpty = document.getElementById("recent-empty");
  const listingMeta = new Map();

  function listingText(status) {
    const started = new Date(status.created_at).toLocaleString("en-GB", {
      dateStyle: "medium", timeStyle: "short", timeZone: "UTC",
    });
    return `${describe(status)} Started ${started} UTC.`;
  }

  function listing(id) {
    const item = document.createElement("li");
    item.className = "listing job-listing";
    const link = document.createElement("a");
    link.className = "listing-headline";
    link.href = `/batches/${encodeURIComponent(id)}`;
    link.textContent = `Job ${id.slice(0, 12)}`;
    if (id === jobId) link.setAttribute("aria-current", "page");
    const meta = document.createElement("p");
    meta.className = "listing-meta muted";
    meta.textContent = "Asking the server…";
    item.append(link, meta);
    return { item, meta };
  }

  async function describeListing(id, meta) {
    let response;
    try {
      response = await fetch(jobUrl(id), { headers: { Accept: "application/json" } });
    } catch (error) {
      meta.textContent = UNREACHABLE;
      return;
    }
    if (!response.ok) {
      meta.textContent = await explain(response);
      if (response.status === 404) forget(id);
      return;
    }
    meta.textContent = listingText(await response.json());
  }

  function renderRecent() {
    const ids = rememberedJobs();
    recentEmpty.hidden = ids.length > 0;
    recentList.replaceChildren();
    listingMeta.clear();
    for (const id of ids) {
      const { item, meta } = listing(id);
      listingMeta.set(id, meta);
      recentList.append(item);
      describeListing(id, meta);
    }
  }

  if (jobId) {
    remember(jobId);
    watchJob(jobId);
  }
  renderRecent();
})();
