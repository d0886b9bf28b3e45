// asyncrpc console: renders the model, makes calls through the endpoint, and refreshes the live view.
// Plain JavaScript, no build step. Every id used by the tests is built by idOf(...).
(function () {
  'use strict';

  var base = window.location.pathname.replace(/\/+$/, '');
  var previous = { time: 0, operations: {}, pipes: {} };

  function idOf(kind, service, operation) {
    return kind + '-' + service + '-' + operation;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === 'text') {
        node.textContent = attrs[name];
      } else {
        node.setAttribute(name, attrs[name]);
      }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function getJson(path) {
    return fetch(base + path, { headers: { 'Accept': 'application/json' } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.error || (response.status + ' ' + response.statusText));
        }
        return body;
      });
    });
  }

  function skeleton(schema) {
    var value = {};
    Object.keys((schema && schema.properties) || {}).forEach(function (name) {
      var type = schema.properties[name].type;
      value[name] = type === 'string' ? '' : type === 'integer' || type === 'number' ? 0 : type === 'boolean' ? false
        : type === 'array' ? [] : type === 'object' ? {} : null;
    });
    return JSON.stringify(value);
  }

  function renderModel(model) {
    var summary = document.getElementById('server-summary');
    summary.textContent = model.server
      ? 'Serving at ' + model.server.address + (model.server.accepting ? ' (accepting calls)' : ' (not accepting calls)')
      : 'This application runs no asyncrpc server.';
    var list = document.getElementById('service-list');
    list.textContent = '';
    if (model.services.length === 0) {
      list.appendChild(el('p', { 'class': 'empty', text: 'No services served.' }));
    }
    model.services.forEach(function (service) {
      var box = el('section', { 'class': 'service', id: 'service-' + service.name, 'aria-labelledby': 'service-title-' + service.name }, [
        el('h3', { id: 'service-title-' + service.name, text: service.name })
      ]);
      service.operations.forEach(function (op) {
        box.appendChild(renderOperation(service.name, op));
      });
      list.appendChild(box);
    });
    var imports = document.querySelector('#imports-table tbody');
    imports.textContent = '';
    var names = Object.keys(model.imports);
    if (names.length === 0) {
      imports.appendChild(el('tr', {}, [el('td', { colspan: '5', 'class': 'empty', text: 'No remote services imported.' })]));
    }
    names.forEach(function (name) {
      var c = model.imports[name];
      imports.appendChild(el('tr', { 'data-service': name }, [
        el('td', { text: name }), el('td', { text: c.target }), el('td', { text: c.endpoints.join(', ') }),
        el('td', { text: c.connected ? 'connected' : 'idle' }), el('td', { 'class': 'num', text: String(c.pendingCalls) })
      ]));
    });
  }

  function renderOperation(service, op) {
    var box = el('article', { 'class': 'operation', id: idOf('op', service, op.name), 'data-operation': service + '/' + op.name });
    box.appendChild(el('h4', { text: service + '/' + op.name }));
    var badges = el('p', {});
    badges.appendChild(el('span', { 'class': 'badge', text: op.asyncImplementation ? 'asynchronous implementation' : 'plain implementation' }));
    op.pipes.forEach(function (direction) {
      badges.appendChild(el('span', { 'class': 'badge', text: direction === 'IN' ? 'in-pipe (caller → implementer)' : 'out-pipe (implementer → caller)' }));
    });
    if (op.ordering) {
      badges.appendChild(el('span', { 'class': 'badge', text: 'ordering: ' + op.ordering.toLowerCase() }));
      badges.appendChild(el('span', { 'class': 'badge', text: 'deadline: ' + op.timeout }));
    }
    box.appendChild(badges);
    var parameters = el('details', { id: idOf('schema', service, op.name) }, [el('summary', { text: 'Parameters and result (JSON Schema)' })]);
    (op.parameters || []).forEach(function (p) {
      parameters.appendChild(el('p', { text: p.name + (p.pipe ? ' (' + p.pipe + '-pipe of)' : '') }));
      parameters.appendChild(el('pre', { 'class': 'schema', 'data-parameter': p.name, text: JSON.stringify(p.schema, null, 2) }));
    });
    if (op.result) {
      parameters.appendChild(el('p', { text: op.resultStream ? 'result (a stream of)' : 'result' }));
      parameters.appendChild(el('pre', { 'class': 'schema', 'data-parameter': '(result)', text: JSON.stringify(op.result, null, 2) }));
    }
    box.appendChild(parameters);
    if (!op.callable) {
      box.appendChild(el('p', { 'class': 'empty', text: 'Not callable from the console: the application has no caller\'s view of this operation.' }));
      return box;
    }
    var form = el('form', { 'aria-label': 'Call ' + service + '/' + op.name });
    var argsId = idOf('args', service, op.name);
    form.appendChild(el('label', { 'for': argsId, text: 'Arguments (JSON object by parameter name)' }));
    form.appendChild(el('textarea', { id: argsId, rows: '2', spellcheck: 'false' }, [skeleton(op.argumentsSchema)]));
    var inPipe = (op.parameters || []).filter(function (p) { return p.pipe === 'in'; })[0];
    if (inPipe) {
      var inputId = idOf('input', service, op.name);
      var fileId = idOf('file', service, op.name);
      form.appendChild(el('label', { 'for': inputId, text: 'In-pipe "' + inPipe.name + '": one JSON value per line' }));
      form.appendChild(el('textarea', { id: inputId, rows: '4', spellcheck: 'false' }));
      form.appendChild(el('label', { 'for': fileId, text: 'or read the lines from a file' }));
      var file = el('input', { id: fileId, type: 'file', accept: '.json,.jsonl,.txt,text/plain' });
      file.addEventListener('change', function () {
        if (file.files.length > 0) {
          file.files[0].text().then(function (text) { document.getElementById(inputId).value = text; });
        }
      });
      form.appendChild(file);
    }
    var button = el('button', { type: 'submit', id: idOf('call', service, op.name), text: 'Call ' + op.name });
    var cancel = el('button', { type: 'button', 'class': 'secondary', id: idOf('cancel', service, op.name), text: 'Cancel', disabled: 'disabled' });
    form.appendChild(button);
    form.appendChild(document.createTextNode(' '));
    form.appendChild(cancel);
    var outcome = el('div', { 'class': 'outcome', id: idOf('outcome', service, op.name), role: 'status', 'aria-live': 'polite' }, [
      el('span', { id: idOf('status', service, op.name) }), ' ',
      el('span', { id: idOf('message', service, op.name) }), ' ',
      el('span', { id: idOf('duration', service, op.name) })
    ]);
    var result = el('pre', { id: idOf('result', service, op.name), hidden: 'hidden' });
    var elementsTitle = el('p', { id: idOf('elements-title', service, op.name), hidden: 'hidden', text: 'Streamed back:' });
    var elements = el('ol', { id: idOf('elements', service, op.name), 'aria-labelledby': idOf('elements-title', service, op.name) });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var body = { arguments: document.getElementById(argsId).value };
      if (inPipe) {
        body.input = document.getElementById(idOf('input', service, op.name)).value;
      }
      show({ status: 'PENDING', message: '', durationMillis: 0, elements: [], from: 0 }, true);
      elements.textContent = '';
      result.hidden = true;
      elementsTitle.hidden = true;
      fetch(base + '/' + encodeURIComponent(service) + '/' + encodeURIComponent(op.name), {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (call) {
          if (!response.ok) {
            show({ status: 'REFUSED', message: call.error, durationMillis: null, elements: [], from: 0 }, true);
            return;
          }
          cancel.disabled = false;
          cancel.onclick = function () { fetch(base + '/calls/' + call.id, { method: 'DELETE' }); };
          follow(call);
        });
      });
    });

    function follow(call) {
      show(call, false);
      if (call.status === 'PENDING') {
        window.setTimeout(function () {
          getJson('/calls/' + call.id + '?from=' + elements.children.length).then(follow, function (error) {
            show({ status: 'CONSOLE_ERROR', message: error.message, elements: [], from: 0 }, false);
          });
        }, 200);
      } else {
        cancel.disabled = true;
      }
    }

    function show(call, reset) {
      var status = document.getElementById(idOf('status', service, op.name));
      status.textContent = call.status;
      status.className = call.status === 'OK' || call.status === 'PENDING' ? 'status-' + call.status : 'status-failed';
      document.getElementById(idOf('message', service, op.name)).textContent = call.message || '';
      document.getElementById(idOf('duration', service, op.name)).textContent =
        (call.durationMillis === null || call.durationMillis === undefined) ? '' : call.durationMillis.toFixed(1) + ' ms';
      if (reset) {
        return;
      }
      (call.elements || []).forEach(function (json, i) {
        if (call.from + i >= elements.children.length) {
          elements.appendChild(el('li', { text: json }));
        }
      });
      elementsTitle.hidden = elements.children.length === 0;
      if (call.status === 'OK' && call.result !== null && call.result !== undefined) {
        result.textContent = call.result;
        result.hidden = false;
      }
    }

    box.appendChild(form);
    box.appendChild(outcome);
    box.appendChild(result);
    box.appendChild(elementsTitle);
    box.appendChild(elements);
    return box;
  }

  function rate(now, before, seconds) {
    return (before === undefined || seconds <= 0) ? '' : Math.max(0, (now - before) / seconds).toFixed(1);
  }

  function fill(tableId, rows, empty, columns) {
    var body = document.querySelector('#' + tableId + ' tbody');
    body.textContent = '';
    if (rows.length === 0) {
      body.appendChild(el('tr', {}, [el('td', { colspan: String(columns), 'class': 'empty', text: empty })]));
    }
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function cell(value, numeric) {
    return el('td', numeric ? { 'class': 'num', text: String(value) } : { text: String(value) });
  }

  function renderLive(live) {
    var seconds = previous.time ? (live.timeMillis - previous.time) / 1000 : 0;
    var server = live.server;
    document.getElementById('live-server').textContent = server
      ? 'Server: calls in progress: ' + server.activeCalls + ', connections: ' + server.connections + '.' : '';
    fill('live-pending', live.pendingCalls.map(function (p) {
      return el('tr', { 'data-operation': p.service + '/' + p.operation }, [
        cell(p.client), cell(p.service), cell(p.operation), cell(p.ageMillis, true), cell(p.state)]);
    }), 'No pending calls.', 5);
    var pipes = (server ? server.openPipes : []).concat(live.clientPipes);
    var pipeBytes = {};
    fill('live-pipes', pipes.map(function (p) {
      pipeBytes[p.key] = p.bytes;
      return el('tr', { 'data-operation': p.operation }, [
        cell(p.owner), cell(p.operation), cell(p.callId, true), cell(p.index, true), cell(p.direction + (p.sending ? ' (sending)' : ' (receiving)')),
        cell(p.elements, true), cell(p.bytes, true), cell(rate(p.bytes, previous.pipes[p.key], seconds), true), cell(p.stalledMillis, true)]);
    }), 'No open pipes.', 9);
    var counts = {};
    fill('live-operations', live.operations.map(function (o) {
      var key = o.service + '/' + o.operation;
      var before = previous.operations[key] || {};
      counts[key] = { calls: o.calls, errors: o.errors };
      function ms(v) { return v === undefined ? '' : v.toFixed(2); }
      return el('tr', { 'data-operation': key }, [
        cell(o.service), cell(o.operation), cell(o.calls, true), cell(rate(o.calls, before.calls, seconds), true),
        cell(o.errors, true), cell(rate(o.errors, before.errors, seconds), true), cell(ms(o.p50), true), cell(ms(o.p95), true), cell(ms(o.p99), true)]);
    }), 'No calls served yet.', 9);
    previous = { time: live.timeMillis, operations: counts, pipes: pipeBytes };
  }

  function refreshLive() {
    getJson('/live').then(renderLive).catch(function () { /* try again on the next tick */ })
      .then(function () { window.setTimeout(refreshLive, 1000); });
  }

  getJson('/model').then(renderModel, function (error) {
    document.getElementById('server-summary').textContent = 'Could not load the model: ' + error.message;
  });
  refreshLive();
}());
