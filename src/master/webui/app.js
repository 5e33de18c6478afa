// The web view's script: every few seconds it reads /master/state,
// /metrics/snapshot and /webui/tasks and rewrites the page's tables with the
// same cells the master rendered (src/master/webui_render.cpp). Data is only
// ever put in the page as text (textContent, attribute values), never as
// markup: task names and status messages come from frameworks.
'use strict';

(function () {
  const REFRESH_MS = 3000;
  const MAX_TASKS = 1000;  // As kMaxWebTasks in src/master/webui.hpp.
  let refreshes = 0;

  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) tr.appendChild(c);
    return tr;
  }

  function replaceRows(tableId, rows, columns, emptyText) {
    const tbody = document.getElementById(tableId).tBodies[0];
    const fresh = document.createElement('tbody');
    if (rows.length === 0) {
      const td = el('td', emptyText, 'empty');
      td.colSpan = columns;
      fresh.appendChild(row([td]));
    }
    for (const r of rows) fresh.appendChild(r);
    tbody.replaceWith(fresh);
  }

  function resourcesText(r) {
    if (!r) return '';
    let text = 'cpus: ' + r.cpus + ', mem: ' + r.mem + ' MB, disk: ' + r.disk + ' MB';
    if (r.ports) text += ', ports: ' + r.ports;
    return text;
  }

  function timeText(seconds) {
    if (!(seconds > 0)) return '-';
    return new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }

  function uptimeText(seconds) {
    const total = Math.max(0, Math.floor(seconds || 0));
    const h = Math.floor(total / 3600), m = Math.floor(total / 60) % 60, s = total % 60;
    if (h > 0) return h + 'h ' + m + 'm ' + s + 's';
    if (m > 0) return m + 'm ' + s + 's';
    return s + 's';
  }

  function stateSpan(state) {
    return el('span', state, 'state state-' + state);
  }

  function attributesText(attributes) {
    return Object.keys(attributes || {}).map((k) => k + '=' + attributes[k]).join('; ');
  }

  function fileLink(sandbox, file) {
    const a = el('a', file);
    a.href = '/files/download?path=' + encodeURIComponent(sandbox + '/' + file);
    return a;
  }

  function summary(state, metrics) {
    const completed = (state.completed_frameworks || []).length;
    const rows = [
      ['Master', state.id],
      ['Version', state.version],
      ['Leader', state.leader || 'none'],
      ['Uptime', uptimeText(metrics['master/uptime_secs'])],
      ['Agents', (state.slaves || []).length],
      ['Frameworks', (state.frameworks || []).length],
      ['Completed frameworks', completed],
    ];
    replaceRows('summary', rows.map(([k, v]) => row([el('th', k), el('td', v)])), 2, '');
  }

  function frameworks(state) {
    const rows = [];
    const add = (f, completed) => {
      const roles = f.roles ? f.roles : [f.role];
      const active = completed ? 'completed' : f.active ? 'yes' : 'no';
      rows.push(row([
        el('td', f.id, 'id'), el('td', f.name), el('td', f.principal || ''),
        el('td', roles.filter((r) => r !== undefined).join(', ')),
        el('td', active, f.active && !completed ? 'yes' : 'no'),
        el('td', (f.tasks || []).length),
        el('td', resourcesText(f.used_resources)), el('td', resourcesText(f.offered_resources)),
      ]));
    };
    for (const f of state.frameworks || []) add(f, false);
    for (const f of state.completed_frameworks || []) add(f, true);
    replaceRows('frameworks', rows, 8, 'No frameworks');
  }

  function agents(state) {
    const rows = (state.slaves || []).map((a) => row([
      el('td', a.id, 'id'), el('td', a.hostname), el('td', resourcesText(a.resources)),
      el('td', resourcesText(a.used_resources)), el('td', attributesText(a.attributes)),
    ]));
    replaceRows('agents', rows, 5, 'No agents');
  }

  // Every task, in the order the master lists them, latest activity first.
  function allTasks(state) {
    const tasks = [];
    for (const f of state.frameworks || []) {
      for (const t of f.tasks || []) tasks.push(t);
      for (const t of f.completed_tasks || []) tasks.push(t);
    }
    for (const f of state.completed_frameworks || []) {
      for (const t of f.completed_tasks || []) tasks.push(t);
    }
    const last = (t) => {
      const s = t.statuses || [];
      return s.length ? s[s.length - 1].timestamp : 0;
    };
    for (const t of tasks) t.time = last(t);
    tasks.sort((a, b) => b.time - a.time);  // Stable, as on the server.
    return tasks;
  }

  function taskStates(tasks) {
    const counts = {};
    for (const t of tasks) counts[t.state] = (counts[t.state] || 0) + 1;
    const rows = Object.keys(counts).sort().map((s) => {
      const th = el('th');
      th.appendChild(stateSpan(s));
      return row([th, el('td', counts[s])]);
    });
    replaceRows('task-states', rows, 2, 'No tasks');
  }

  function tasksTable(tasks, extra) {
    const byKey = new Map();
    for (const t of extra.tasks || []) byKey.set(t.framework_id + '/' + t.id, t);
    const rows = tasks.slice(0, MAX_TASKS).map((t) => {
      const more = byKey.get(t.framework_id + '/' + t.id) || {};
      const stateCell = el('td');
      stateCell.appendChild(stateSpan(t.state));
      const sandboxCell = el('td', null, 'files');
      if (more.sandbox) {
        sandboxCell.appendChild(fileLink(more.sandbox, 'stdout'));
        sandboxCell.appendChild(document.createTextNode(' '));
        sandboxCell.appendChild(fileLink(more.sandbox, 'stderr'));
      } else {
        sandboxCell.textContent = '-';
      }
      const tr = row([
        el('td', t.id, 'id'), el('td', t.name), el('td', t.framework_id, 'id'),
        el('td', t.slave_id, 'id'), stateCell, el('td', more.message || '', 'message'),
        el('td', timeText(t.time), 'time'), sandboxCell,
      ]);
      tr.dataset.task = t.framework_id + '/' + t.id;
      return tr;
    });
    if (tasks.length > MAX_TASKS) {
      const td = el('td', '... and ' + (tasks.length - MAX_TASKS) + ' older tasks', 'empty');
      td.colSpan = 8;
      rows.push(row([td]));
    }
    replaceRows('tasks', rows, 8, 'No tasks');
  }

  function metricsTable(metrics) {
    const rows = Object.keys(metrics).sort().map((name) =>
      row([el('th', name, 'mono'), el('td', metrics[name])]));
    replaceRows('metrics', rows, 2, 'No metrics');
  }

  async function getJson(path) {
    const response = await fetch(path, {cache: 'no-store'});
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  async function refresh() {
    const status = document.getElementById('refresh');
    try {
      const [state, metrics, extra] = await Promise.all(
          [getJson('/master/state'), getJson('/metrics/snapshot'), getJson('/webui/tasks')]);
      const tasks = allTasks(state);
      summary(state, metrics);
      taskStates(tasks);
      frameworks(state);
      agents(state);
      tasksTable(tasks, extra);
      metricsTable(metrics);
      refreshes += 1;
      document.body.dataset.refreshes = String(refreshes);
      status.textContent = 'Updated ' + new Date().toISOString().slice(11, 19) +
          ' UTC; refreshed every ' + REFRESH_MS / 1000 + ' seconds.';
    } catch (e) {
      status.textContent = 'Cannot refresh: ' + e.message;
    }
    setTimeout(refresh, REFRESH_MS);
  }

  refresh();
})();
