/*
 * The dashboard's script: listens to the core's event stream (GET /__emulator/events) and
 * re-reads the admin JSON API when something happened (a vendor-API request included) (at most every 250 ms), and every 2 s for the
 * clock; without the stream it polls once a second. It redraws what changed.
 * Every piece of data is put into the page as text (textContent / attribute values, never
 * innerHTML): payloads carry user-supplied and seeded data.
 */
(() => {
  'use strict';

  // The admin API is the page's own directory: /__emulator/ → /__emulator.
  const BASE = location.pathname.replace(/\/(index\.html)?$/, '');
  const POLL_MS = 1000;
  const EVENT_MS = 250;
  const CLOCK_MS = 2000;
  const LIST_LIMIT = 200;
  const CALLBACK_TYPES = [
    'call-completion',
    'call-completion-info-check',
    'custom-api-node-push',
    'list-completion',
    'workflow-status-change',
    'chatbot-session-end',
  ];

  const state = {
    live: true,
    busy: false,
    timeZone: 'UTC',
    workflows: [],
    selectedWorkflow: null,
    selectedDelivery: null,
    selectedRequest: null,
    requestStatus: '',
    tab: 'calls',
    filters: { workflow: '', type: '', outcome: '' },
    seenDeliveries: new Set(),
    shownPayloadOf: null,
  };
  /** JSON text of the last answer per view: unchanged answers are not redrawn. */
  const last = new Map();

  const $ = (id) => document.getElementById(id);

  /** Build an element; strings become text nodes, so data is never parsed as markup. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    append(el, children);
    return el;
  }
  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === undefined || c === null || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }
  function replaceChildren(el, ...children) {
    el.replaceChildren();
    append(el, children);
  }

  async function api(path, init) {
    const opts = { headers: { Accept: 'application/json' }, ...init };
    if (opts.body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(opts.body);
    }
    const res = await fetch(BASE + path, opts);
    const text = await res.text();
    let body = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the error message.
    }
    if (!res.ok) {
      const why = body && typeof body === 'object' && body.message ? body.message : `HTTP ${res.status}`;
      throw new Error(why);
    }
    return body;
  }

  /** Run `fn` once per distinct answer: returns true when the answer changed. */
  function changed(key, value) {
    const text = JSON.stringify(value);
    if (last.get(key) === text) return false;
    last.set(key, text);
    return true;
  }

  // -- formatting ------------------------------------------------------------------------------

  const formatters = new Map();
  function partsIn(ms, timeZone) {
    let f = formatters.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
      formatters.set(timeZone, f);
    }
    const p = {};
    for (const x of f.formatToParts(new Date(ms))) p[x.type] = x.value;
    return p;
  }
  /** "YYYY-MM-DD HH:mm:ss" in the display time zone (the account's, like the payloads). Times are epoch ms. */
  function dateTime(t) {
    if (t === null || t === undefined) return '';
    const p = partsIn(t, state.timeZone);
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
  }
  function time(t) {
    if (t === null || t === undefined) return '';
    const p = partsIn(t, state.timeZone);
    return `${p.hour}:${p.minute}:${p.second}`;
  }
  const shortId = (id) => (id && id.length > 12 ? `${id.slice(0, 8)}…` : id || '');

  function outcomeBadge(outcome) {
    const cls = { delivered: 'ok', pending: 'warn', exhausted: 'bad' }[outcome] || '';
    return h('span', { class: `badge ${cls}` }, outcome);
  }
  function statusBadge(status) {
    const cls = { Running: 'info', Finished: 'ok', Stopped: 'warn' }[status] || '';
    return h('span', { class: `badge ${cls}` }, status);
  }
  /** "waiting for its calling window until …" under a running workflow held up by its windows. */
  function waitingNote(w) {
    if (!w.waiting) return null;
    return h(
      'div',
      { class: 'cell-sub', title: 'nothing happens before its calling window opens' },
      `waiting for its calling window: next call ${dateTime(w.waiting.until)}`,
    );
  }
  function contactBadge(status) {
    const cls = { finished: 'ok', calling: 'info', cancelled: 'warn' }[status] || '';
    return h('span', { class: `badge ${cls}` }, status);
  }
  function attemptAnswer(a) {
    if (a.ok) return h('span', { class: 'status-ok' }, String(a.status));
    if (a.status !== undefined) return h('span', { class: 'status-bad' }, `${a.status} ${a.error || ''}`);
    return h('span', { class: 'status-bad' }, a.error || 'failed');
  }

  /** Pretty JSON with coloured tokens, built from text nodes. */
  function jsonBlock(value) {
    const text = JSON.stringify(value, null, 2) ?? 'null';
    const pre = h('pre', { class: 'json' });
    const re =
      /("(?:\\u[0-9a-fA-F]{4}|\\[^u]|[^\\"])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;
    let at = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (m.index > at) pre.append(document.createTextNode(text.slice(at, m.index)));
      if (m[1] !== undefined) {
        pre.append(h('span', { class: m[2] ? 'j-key' : 'j-str' }, m[1]));
        if (m[2]) pre.append(document.createTextNode(m[2]));
      } else if (m[3] !== undefined) pre.append(h('span', { class: 'j-lit' }, m[3]));
      else pre.append(h('span', { class: 'j-num' }, m[4]));
      at = re.lastIndex;
    }
    if (at < text.length) pre.append(document.createTextNode(text.slice(at)));
    return pre;
  }

  // -- messages --------------------------------------------------------------------------------

  function say(text, isError) {
    const el = $('message');
    el.textContent = text;
    el.classList.toggle('error', Boolean(isError));
    el.dataset.kind = '';
  }
  /** Run a user action; report its failure in the message line. */
  async function act(button, fn) {
    if (button) button.disabled = true;
    try {
      await fn();
    } catch (err) {
      say(err.message, true);
    } finally {
      if (button) button.disabled = false;
    }
    await refresh();
  }

  // -- views -----------------------------------------------------------------------------------

  function renderClock(clock) {
    $('clock-mode').textContent = clock.mode;
    $('clock-now').textContent = dateTime(clock.now);
    $('clock-now').title = new Date(clock.now).toISOString();
    $('clock-zone').textContent = state.timeZone;
    $('clock-pending').textContent = `${clock.pending.timers} timers · ${clock.pending.inFlight} in flight`;
    $('clock-buttons').hidden = clock.mode !== 'virtual';
  }

  function renderWorkflows(answer) {
    const list = answer.list;
    $('workflows-count').textContent =
      answer.total > list.length
        ? `newest ${list.length} of ${answer.total}`
        : list.length
          ? `${list.length}`
          : '';
    $('workflows-empty').hidden = list.length > 0;
    const rows = list.map((w) => {
      const d = w.deliveries;
      return h(
        'tr',
        {
          class: w.workflow_id === state.selectedWorkflow ? 'selected' : '',
          dataset: { workflowId: w.workflow_id },
          onclick: () => selectWorkflow(w.workflow_id),
        },
        h(
          'td',
          {},
          h(
            'div',
            { class: 'cell-main' },
            w.workflow_name,
            h('span', { class: 'muted small' }, ` · ${w.template_name} (${w.template_id})`),
          ),
          h('div', { class: 'cell-sub', title: w.workflow_id }, w.workflow_id),
        ),
        h('td', {}, statusBadge(w.status), waitingNote(w)),
        h('td', { class: 'num nowrap' }, `${w.contacts_finished} / ${w.contacts}`),
        h('td', { class: 'num nowrap' }, `${w.calls} (${w.connected})`),
        h(
          'td',
          { class: 'num nowrap', title: 'delivered · pending · exhausted' },
          h('span', { class: 'status-ok' }, String(d.delivered)),
          ' · ',
          String(d.pending),
          ' · ',
          h('span', { class: d.exhausted ? 'status-bad' : '' }, String(d.exhausted)),
        ),
      );
    });
    replaceChildren($('workflows-table').tBodies[0], rows);
    renderWorkflowFilter(list);
  }

  function renderWorkflowFilter(list) {
    const key = list.map((w) => w.workflow_id + w.workflow_name).join('|');
    if (!changed('filter-workflows', key)) return;
    const sel = $('filter-workflow');
    replaceChildren(
      sel,
      h('option', { value: '' }, 'every workflow'),
      list.map((w) =>
        h('option', { value: w.workflow_id }, `${w.workflow_name} · ${shortId(w.workflow_id)}`),
      ),
    );
    sel.value = state.filters.workflow;
  }

  function renderWorkflowDetail(detail) {
    const empty = $('workflow-empty');
    if (!detail) {
      replaceChildren($('workflow-summary'));
      $('workflow-title').textContent = 'Workflow';
      $('calls-table').hidden = true;
      $('contacts-table').hidden = true;
      empty.hidden = false;
      empty.textContent = 'Select a workflow to see its calls and contacts.';
      return;
    }
    const w = detail.workflow;
    $('workflow-title').textContent = w.workflow_name;
    const fact = (k, ...v) => h('span', {}, h('span', { class: 'k' }, k), ...v);
    replaceChildren(
      $('workflow-summary'),
      fact('id', h('span', { class: 'mono' }, w.workflow_id)),
      fact('status', statusBadge(w.status), waitingNote(w)),
      fact('template', `${w.template_name} (${w.template_id})`),
      fact('time zone', w.time_zone),
      fact('created', dateTime(w.created_at)),
      fact('contacts', `${w.contacts_finished} finished of ${w.contacts}`),
      fact('calls', `${w.calls}, ${w.connected} answered`),
    );
    const calls = detail.calls;
    const contacts = detail.contacts;
    const showCalls = state.tab === 'calls';
    $('calls-table').hidden = !showCalls;
    $('contacts-table').hidden = showCalls;
    const list = showCalls ? calls : contacts;
    empty.hidden = list.total > 0;
    empty.textContent = showCalls
      ? 'No calls yet: dials show up here as they finish.'
      : 'No contacts yet: generated contacts show up as they are first dialled.';

    replaceChildren(
      $('calls-table').tBodies[0],
      calls.list.map((c) =>
        h(
          'tr',
          { dataset: { callId: c.call_id } },
          h('td', { title: dateTime(c.ended_at) }, time(c.ended_at)),
          h('td', { class: 'mono' }, c.callee || ''),
          h('td', { class: 'mono' }, c.case_id || ''),
          h('td', { class: 'num' }, String(c.call_times)),
          h(
            'td',
            { class: 'nowrap' },
            // Earlier dials of a number have no callback result of their own.
            c.result
              ? h('span', { class: `badge ${c.answered ? 'ok' : ''}` }, c.result)
              : h('span', { class: 'muted' }, c.answered ? 'answered' : 'no answer'),
            ' ',
            h('span', { class: 'muted small', title: c.intention || '' }, c.result_label || ''),
          ),
          h('td', {}, c.ring_type || ''),
          h('td', { class: 'num' }, c.duration ? `${c.duration} s` : '—'),
          h('td', {}, recordingCell(c)),
        ),
      ),
      calls.total > calls.list.length ? moreRow(8, calls.list.length, calls.total) : null,
    );
    replaceChildren(
      $('contacts-table').tBodies[0],
      contacts.list.map((c) =>
        h(
          'tr',
          {},
          h('td', { class: 'mono' }, c.case_id || ''),
          h('td', { class: 'mono' }, c.callees.join(', ')),
          h('td', {}, c.customer_name || ''),
          h('td', {}, contactBadge(c.status)),
          h('td', { class: 'num' }, String(c.dials)),
          h('td', { title: c.finished_at ? dateTime(c.finished_at) : '' }, time(c.finished_at)),
        ),
      ),
      contacts.total > contacts.list.length ? moreRow(6, contacts.list.length, contacts.total) : null,
    );
  }

  const moreRow = (span, shown, total) =>
    h('tr', {}, h('td', { colspan: span, class: 'muted small' }, `showing ${shown} of ${total}`));

  function recordingCell(c) {
    // Only the emulator's own recording path is linked.
    if (!c.recording || !c.recording.startsWith('/')) return h('span', { class: 'muted' }, '—');
    return h(
      'span',
      { class: 'rec' },
      h('button', { type: 'button', title: 'play the recording', onclick: () => play(c) }, '▶'),
      h('a', { href: c.recording, target: '_blank', rel: 'noopener' }, 'wav'),
    );
  }

  function play(c) {
    const audio = $('audio');
    $('player').hidden = false;
    $('player-label').textContent = `${c.callee || ''} · ${c.case_id || ''} · ${c.duration} s`;
    audio.src = c.recording;
    audio.play().catch(() => {
      // Autoplay may be refused; the controls are there to press play.
    });
  }

  /** The built-in sink's URLs share the page's origin: show their path only. */
  function shortUrl(url) {
    return url.startsWith(`${location.origin}/`) ? url.slice(location.origin.length) : url;
  }

  function renderDeliveries(answer) {
    const list = answer.list.slice().reverse();
    $('deliveries-count').textContent =
      answer.total > list.length ? `newest ${list.length} of ${answer.total}` : `${answer.total}`;
    $('deliveries-empty').hidden = list.length > 0;
    const firstDraw = state.seenDeliveries.size === 0;
    const rows = list.map((d) => {
      const fresh = !firstDraw && !state.seenDeliveries.has(d.id);
      state.seenDeliveries.add(d.id);
      const last = d.lastStatus !== null ? String(d.lastStatus) : d.lastError || '';
      return h(
        'tr',
        {
          class: [d.id === state.selectedDelivery ? 'selected' : '', fresh ? 'fresh' : ''].join(' ').trim(),
          dataset: { deliveryId: d.id },
          onclick: () => selectDelivery(d.id),
        },
        h('td', { title: dateTime(d.firstAt) }, time(d.firstAt)),
        h(
          'td',
          { class: 'nowrap' },
          d.type,
          d.replayOf ? h('span', { class: 'badge info', title: `replay of ${d.replayOf}` }, ' replay') : null,
          d.duplicateOf ? h('span', { class: 'badge warn' }, ' duplicate') : null,
          d.onDemand ? h('span', { class: 'badge info', title: 'sent on demand' }, ' sent') : null,
        ),
        h('td', { class: 'cell-url', title: d.url }, shortUrl(d.url)),
        h('td', {}, outcomeBadge(d.outcome)),
        h('td', { class: 'num' }, String(d.attemptCount)),
        h(
          'td',
          {
            class: `num ${d.lastStatus !== null && d.lastStatus < 300 ? 'status-ok' : last ? 'status-bad' : ''}`,
          },
          last,
        ),
      );
    });
    replaceChildren($('deliveries-table').tBodies[0], rows);
  }

  /** A request's answer: its status, or how a fault ended it. */
  function requestStatusText(r) {
    return r.status === null ? 'dropped' : String(r.status);
  }
  function faultText(f) {
    if (!f) return '';
    if (f.drop) return `${f.id}: drop`;
    const what = [
      f.status,
      f.code !== undefined ? `code ${f.code}` : null,
      f.delayMs ? `+${f.delayMs} ms` : null,
    ];
    return `${f.id}: ${what.filter(Boolean).join(' ')}`;
  }

  function renderRequests(answer) {
    $('requests-count').textContent =
      answer.total > answer.list.length
        ? `newest ${answer.list.length} of ${answer.total}`
        : `${answer.total}`;
    $('requests-empty').hidden = answer.list.length > 0;
    const rows = answer.list.map((r) =>
      h(
        'tr',
        {
          class: [
            r.id === state.selectedRequest ? 'selected' : '',
            r.status === null || r.status >= 400 ? 'request-bad' : '',
          ]
            .join(' ')
            .trim(),
          dataset: { requestId: r.id },
          onclick: () => selectRequest(r.id),
        },
        h('td', { title: dateTime(r.at) }, time(r.at)),
        h('td', { class: 'cell-url', title: r.path }, `${r.method} ${r.path}`),
        h('td', { class: 'num' }, requestStatusText(r)),
        h('td', { class: 'num' }, r.code === null ? '' : String(r.code)),
        h('td', { class: 'small' }, faultText(r.fault)),
      ),
    );
    replaceChildren($('requests-table').tBodies[0], rows);
  }

  /** A logged body: pretty JSON when it parses, else the text as received. */
  function bodyBlock(text) {
    if (text === null) return h('p', { class: 'muted small' }, 'none (or not read)');
    try {
      return jsonBlock(JSON.parse(text));
    } catch {
      return h('pre', { class: 'json' }, text);
    }
  }

  function renderRequest(r) {
    const body = $('request-body');
    if (!r) {
      $('request-title').textContent = 'Request';
      replaceChildren(
        body,
        h('p', { class: 'empty' }, 'Select a request to see what your client sent and what it was answered.'),
      );
      return;
    }
    $('request-title').textContent = `Request · ${r.method} ${r.path}`;
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'id'),
      h('dd', { class: 'mono' }, r.id),
      h('dt', {}, 'at'),
      h('dd', {}, dateTime(r.at)),
      h('dt', {}, 'answer'),
      h(
        'dd',
        { class: r.status === null || r.status >= 400 ? 'status-bad' : 'status-ok' },
        requestStatusText(r),
      ),
      r.code !== null ? [h('dt', {}, 'code'), h('dd', {}, String(r.code))] : null,
      h('dt', {}, 'duration'),
      h('dd', {}, `${r.durationMs} ms (clock)`),
      r.fault ? [h('dt', {}, 'fault'), h('dd', {}, faultText(r.fault))] : null,
      r.truncated ? [h('dt', {}, 'note'), h('dd', {}, 'bodies cut to 4096 characters')] : null,
    );
    replaceChildren(
      body,
      h(
        'div',
        { class: 'detail', id: 'request-detail' },
        facts,
        h('h3', {}, 'Request body'),
        bodyBlock(r.body),
        h(
          'details',
          {},
          h('summary', {}, 'Request headers and query'),
          jsonBlock({ headers: r.headers, query: r.query }),
        ),
        h('h3', {}, 'Answer'),
        bodyBlock(r.answer),
      ),
    );
  }

  function selectRequest(id) {
    state.selectedRequest = id;
    last.delete('requests');
    last.delete('request');
    refresh();
  }

  function renderDelivery(d) {
    const body = $('delivery-body');
    $('replay').hidden = !d;
    if (!d) {
      state.shownPayloadOf = null;
      replaceChildren(
        body,
        h('p', { class: 'empty' }, 'Select a delivery to see every attempt and its payload.'),
      );
      $('delivery-title').textContent = 'Delivery';
      return;
    }
    $('delivery-title').textContent = `Delivery · ${d.type}`;
    const link = (id) =>
      h('button', { type: 'button', class: 'link mono', onclick: () => selectDelivery(id) }, id);
    const max = d.policy ? d.policy.maxRetries + 1 : '?';
    const facts = h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'id'),
      h('dd', { class: 'mono' }, d.id),
      h('dt', {}, 'url'),
      h('dd', { class: 'mono' }, d.url),
      h('dt', {}, 'outcome'),
      h('dd', {}, outcomeBadge(d.outcome), ` ${d.attempts.length} of at most ${max} attempts`),
      d.nextAttemptAt ? [h('dt', {}, 'next attempt'), h('dd', {}, dateTime(d.nextAttemptAt))] : null,
      d.workflowId ? [h('dt', {}, 'workflow'), h('dd', { class: 'mono' }, d.workflowId)] : null,
      d.replayOf ? [h('dt', {}, 'replay of'), h('dd', {}, link(d.replayOf))] : null,
      d.replays && d.replays.length
        ? [
            h('dt', {}, 'replays'),
            h(
              'dd',
              {},
              d.replays.map((r) => [link(r), ' ']),
            ),
          ]
        : null,
      d.duplicateOf ? [h('dt', {}, 'duplicate of'), h('dd', {}, link(d.duplicateOf))] : null,
      h('dt', {}, 'signing'),
      h('dd', {}, `${d.signing}${d.encrypted ? ', AES-encrypted body' : ''}`),
    );
    const attempts = h(
      'table',
      { class: 'table', id: 'attempts-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { class: 'num' }, 'n'),
          h('th', {}, 'Clock time'),
          h('th', {}, 'Status / error'),
          h('th', { class: 'num' }, 'Latency'),
          h('th', {}, 'Response'),
        ),
      ),
      h(
        'tbody',
        {},
        d.attempts.length === 0
          ? h('tr', {}, h('td', { colspan: 5, class: 'muted' }, 'No attempt yet.'))
          : d.attempts.map((a) =>
              h(
                'tr',
                { dataset: { attempt: String(a.n) } },
                h('td', { class: 'num' }, String(a.n)),
                h('td', { class: 'nowrap' }, dateTime(a.at)),
                h('td', { title: a.message || '' }, attemptAnswer(a)),
                h('td', { class: 'num' }, `${a.latencyMs} ms`),
                h(
                  'td',
                  { class: 'cell-snippet', title: a.response || a.message || '' },
                  a.response || a.message || '',
                ),
              ),
            ),
      ),
    );
    // The payload never changes: keep its block (and the reader's scroll) across redraws.
    const keepPayload = state.shownPayloadOf === d.id && body.querySelector('#payload-section');
    const payload =
      keepPayload ||
      h('section', { id: 'payload-section' }, h('h3', {}, 'Payload'), jsonBlock(d.payload), headers(d));
    state.shownPayloadOf = d.id;
    replaceChildren(body, h('div', { class: 'detail' }, facts, h('h3', {}, 'Attempts'), attempts, payload));
  }

  function headers(d) {
    return h(
      'details',
      {},
      h('summary', {}, d.encrypted ? 'Headers and body as sent' : 'Headers'),
      jsonBlock(d.headers),
      d.encrypted ? h('pre', { class: 'json' }, d.body) : null,
    );
  }

  function renderSink(settings, source) {
    // Following the scenarios (each callback answered by its scenario's receiver:), or explicit.
    const mode = source === 'scenario' ? 'scenario' : settings.mode;
    for (const b of document.querySelectorAll('[data-sink-mode]')) {
      b.classList.toggle('active', b.dataset.sinkMode === mode);
      b.setAttribute('aria-pressed', String(b.dataset.sinkMode === mode));
    }
    // Leave the inputs alone while someone is typing in them.
    const status = $('sink-status');
    const first = $('sink-fail-first');
    if (document.activeElement !== status) status.value = String(settings.failStatus);
    if (document.activeElement !== first)
      first.value = settings.failFirst === undefined ? '' : String(settings.failFirst);
  }

  /** Where callbacks go now: the target and per-type targets, or the template URLs. */
  function renderTargets(t) {
    const parts = Object.entries(t.targets).map(([type, url]) => `${type} → ${url}`);
    if (t.target) parts.unshift(`${parts.length ? 'other types' : 'every type'} → ${t.target}`);
    $('targets-now').textContent = parts.length ? parts.join(' · ') : 'the template URLs';
  }

  // -- selection -------------------------------------------------------------------------------

  function selectWorkflow(id) {
    state.selectedWorkflow = id;
    state.filters.workflow = id;
    $('filter-workflow').value = id;
    last.delete('workflows');
    last.delete('workflow');
    refresh();
  }

  function selectDelivery(id) {
    state.selectedDelivery = id;
    last.delete('deliveries');
    last.delete('delivery');
    refresh();
  }

  // -- polling ---------------------------------------------------------------------------------

  function deliveriesQuery() {
    const q = new URLSearchParams({ limit: String(LIST_LIMIT) });
    for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
    return `/deliveries?${q}`;
  }

  function requestsQuery() {
    const q = new URLSearchParams({ limit: String(LIST_LIMIT) });
    if (state.requestStatus) q.set('status', state.requestStatus);
    return `/requests?${q}`;
  }

  async function refresh() {
    if (state.busy) return;
    state.busy = true;
    try {
      const [clock, workflows, deliveries, sink, targets, workflow, delivery, requests] = await Promise.all([
        api('/clock'),
        api(`/workflows?limit=${LIST_LIMIT}`),
        api(deliveriesQuery()),
        api('/sink?limit=0'),
        api('/targets'),
        state.selectedWorkflow
          ? api(`/workflows/${encodeURIComponent(state.selectedWorkflow)}?limit=${LIST_LIMIT}`).catch(
              () => null,
            )
          : null,
        state.selectedDelivery
          ? api(`/deliveries/${encodeURIComponent(state.selectedDelivery)}`).catch(() => null)
          : null,
        api(requestsQuery()),
      ]);
      state.workflows = workflows.list;
      // Show times in the account's zone, like the payloads: the selected (else newest) workflow's.
      const shown = workflows.list.find((w) => w.workflow_id === state.selectedWorkflow) || workflows.list[0];
      const zone = shown ? shown.time_zone : 'UTC';
      if (zone !== state.timeZone) {
        state.timeZone = zone;
        last.clear();
      }
      renderClock(clock);
      if (changed('workflows', workflows)) renderWorkflows(workflows);
      if (changed('deliveries', deliveries)) renderDeliveries(deliveries);
      if (changed('sink', [sink.settings, sink.source])) renderSink(sink.settings, sink.source);
      if (changed('targets', targets)) renderTargets(targets);
      if (changed('workflow', [workflow, state.tab])) renderWorkflowDetail(workflow);
      if (changed('delivery', delivery)) renderDelivery(delivery);
      if (changed('requests', requests)) renderRequests(requests);
      // The log has no one-request endpoint: the selected one is read from the list.
      const request = requests.list.find((r) => r.id === state.selectedRequest) || null;
      if (changed('request', request)) renderRequest(request);
      $('live-dot').className = `dot ${state.live ? 'on' : ''}`;
      $('live-text').textContent = state.live ? `live · ${new Date().toLocaleTimeString()}` : 'paused';
      if ($('message').classList.contains('error') && $('message').dataset.kind === 'connection') say('');
    } catch (err) {
      $('live-dot').className = 'dot error';
      $('live-text').textContent = 'no answer';
      say(`Cannot reach the emulator (${err.message}); retrying…`, true);
      $('message').dataset.kind = 'connection';
    } finally {
      state.busy = false;
    }
  }

  // Events mark the view stale; the loop re-reads it. The browser reconnects a dropped stream.
  const stream = { source: null, stale: true, lastRead: 0 };
  function listen() {
    if (typeof window.EventSource !== 'function') return;
    stream.source = new window.EventSource(`${BASE}/events`);
    stream.source.onmessage = () => {
      stream.stale = true;
    };
  }

  function loop() {
    const streaming = stream.source !== null && stream.source.readyState === 1;
    const due = !streaming || stream.stale || Date.now() - stream.lastRead >= CLOCK_MS;
    if (state.live && due) {
      stream.stale = false;
      stream.lastRead = Date.now();
      refresh();
    }
    setTimeout(loop, streaming ? EVENT_MS : POLL_MS);
  }

  // -- controls --------------------------------------------------------------------------------

  async function loadScenarios() {
    const { list } = await api('/scenarios');
    const sel = $('scenario-select');
    replaceChildren(
      sel,
      list.map((s) =>
        h(
          'option',
          { value: s.name },
          s.templates.length > 0
            ? `${s.name} (${s.templates.map((t) => t.workflow_template_id).join(', ')})`
            : s.name,
        ),
      ),
    );
    $('trigger').disabled = list.length === 0;
  }

  function wire() {
    replaceChildren(
      $('filter-type'),
      h('option', { value: '' }, 'every type'),
      CALLBACK_TYPES.map((t) => h('option', { value: t }, t)),
    );
    for (const [id, key] of [
      ['filter-workflow', 'workflow'],
      ['filter-type', 'type'],
      ['filter-outcome', 'outcome'],
    ]) {
      $(id).addEventListener('change', (e) => {
        state.filters[key] = e.target.value;
        refresh();
      });
    }
    $('filter-request-status').addEventListener('change', (e) => {
      state.requestStatus = e.target.value;
      refresh();
    });
    $('advance-1m').addEventListener('click', (e) =>
      act(e.currentTarget, () => api('/clock/advance', { method: 'POST', body: { ms: 60_000 } })),
    );
    $('run-idle').addEventListener('click', (e) =>
      act(e.currentTarget, () => api('/clock/run-until-idle', { method: 'POST' })),
    );
    $('trigger').addEventListener('click', (e) =>
      act(e.currentTarget, async () => {
        const name = $('scenario-select').value;
        const wf = await api(`/scenarios/${encodeURIComponent(name)}/trigger`, { method: 'POST', body: {} });
        say(`Started workflow ${wf.workflow_name} (${wf.workflow_id}).`);
        selectWorkflow(wf.workflow_id);
      }),
    );
    $('replay').addEventListener('click', (e) =>
      act(e.currentTarget, async () => {
        const id = state.selectedDelivery;
        const r = await api(`/deliveries/${encodeURIComponent(id)}/replay`, { method: 'POST', body: {} });
        say(`Replaying ${id} as ${r.id}.`);
        state.selectedDelivery = r.id;
      }),
    );
    const setSink = (button, change) =>
      act(button, async () => {
        const s = await api('/sink', { method: 'PUT', body: change });
        if (change.source === 'scenario') return say("Sink: as each callback's scenario receiver says.");
        say(
          `Sink: ${s.mode}${s.mode === 'ok' ? '' : ` (${s.failStatus})`}${s.failFirst !== undefined ? `, first ${s.failFirst} attempts` : ''}.`,
        );
      });
    replaceChildren(
      $('target-type'),
      h('option', { value: '' }, 'every type'),
      CALLBACK_TYPES.map((t) => h('option', { value: t }, t)),
    );
    const setTarget = (button, url) =>
      act(button, async () => {
        const type = $('target-type').value;
        const t = await api('/targets', {
          method: 'PUT',
          body: type ? { targets: { [type]: url } } : { target: url },
        });
        renderTargets(t);
        say(
          `Callbacks${type ? ` of type ${type}` : ''} created from now on go to ${url ?? 'the template URLs'}.`,
        );
      });
    $('target-set').addEventListener('click', (e) =>
      setTarget(e.currentTarget, $('target-url').value.trim()),
    );
    $('target-clear').addEventListener('click', (e) => setTarget(e.currentTarget, null));
    replaceChildren(
      $('send-type'),
      CALLBACK_TYPES.map((t) => h('option', { value: t }, t)),
    );
    $('send').addEventListener('click', (e) =>
      act(e.currentTarget, async () => {
        // The overrides go as lines: the server parses them as `send --set` does.
        const set = $('send-set')
          .value.split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== '');
        const body = { type: $('send-type').value, set };
        const target = $('send-target').value.trim();
        if (target !== '') body.target = target;
        if ($('send-allow-invalid').checked) body.allowInvalid = true;
        const d = await api('/callbacks', { method: 'POST', body });
        say(
          `Sent ${d.type} as delivery ${d.id} to ${d.url}${d.onDemand.valid ? '' : ' (invalid, as asked)'}.`,
        );
        // A sent callback belongs to no workflow: show every workflow's deliveries, it among them.
        state.filters.workflow = '';
        $('filter-workflow').value = '';
        selectDelivery(d.id);
      }),
    );
    for (const b of document.querySelectorAll('[data-sink-mode]')) {
      b.addEventListener('click', () => {
        const mode = b.dataset.sinkMode;
        if (mode === 'scenario') return setSink(b, { source: 'scenario' });
        const change = { mode };
        if (mode === 'fail') change.failStatus = Number($('sink-status').value) || 503;
        setSink(b, change);
      });
    }
    $('sink-status').addEventListener('change', (e) => setSink(null, { failStatus: Number(e.target.value) }));
    $('sink-fail-first').addEventListener('change', (e) =>
      setSink(null, { failFirst: e.target.value === '' ? null : Number(e.target.value) }),
    );
    for (const b of document.querySelectorAll('[data-tab]')) {
      b.addEventListener('click', () => {
        state.tab = b.dataset.tab;
        for (const t of document.querySelectorAll('[data-tab]'))
          t.setAttribute('aria-selected', String(t === b));
        refresh();
      });
    }
    $('live-toggle').addEventListener('click', () => {
      state.live = !state.live;
      $('live-toggle').textContent = state.live ? 'pause' : 'resume';
      $('live-dot').className = `dot ${state.live ? 'on' : ''}`;
      $('live-text').textContent = state.live ? 'live' : 'paused';
      if (state.live) refresh();
    });
  }

  wire();
  loadScenarios().catch((err) => say(`Cannot load scenarios: ${err.message}`, true));
  listen();
  loop();
})();
