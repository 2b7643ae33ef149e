/*
 * Anbindungsfragebogen online ausfüllen (dienste/<id>/fragebogen/).
 *
 * An enhancement only: without this script the page is the complete list
 * of what to prepare, with the Excel template to download. With it:
 * - "Ausgefüllten Fragebogen herunterladen" checks every value by the rules
 *   the build emitted into #fragebogen_daten (patterns, lengths, messages:
 *   none is typed again here), shows the error summary at the top with a
 *   link to each field and the message at each field; when all is well it
 *   fetches this service's generated XLSX (same origin), writes the values
 *   into its input cells (sheet "Fragebogen" by the cells in the data, the
 *   sheet "PVOG-Links" row by row) and offers the file as a download,
 * - rows of the PVOG table and further contact persons are added and removed,
 * - a draft is kept in localStorage only when the user asks for it
 *   ("Entwurf in diesem Browser speichern") and removed by "Entwurf löschen",
 * - the mailto: links get the Kommune into their subject.
 * Nothing is sent anywhere: the only request is the one for the XLSX.
 * Needs fflate (vendor/fflate/fflate.min.js) for the zip container.
 * Plain ES5 plus fetch and Promise; no reliance on automatic semicolons.
 */
(function () {
  'use strict';

  var root = document.querySelector('[data-fragebogen]');
  var dataElement = document.getElementById('fragebogen_daten');
  if (!root || !dataElement) {
    return;
  }
  var data;
  try {
    data = JSON.parse(dataElement.textContent);
  } catch (e) {
    return;
  }
  var form = root.querySelector('form[data-form]');
  var statusBox = root.querySelector('[data-status]');
  var summary = root.querySelector('[data-error-summary]');
  var summaryList = root.querySelector('[data-error-list]');
  var pvogBox = root.querySelector('[data-pvog]');
  var rowsBox = root.querySelector('[data-pvog-rows]');
  var rowTemplate = root.querySelector('template[data-pvog-template]');
  var draftSave = root.querySelector('[data-draft-save]');
  var draftDelete = root.querySelector('[data-draft-delete]');
  var pageTitle = document.title;
  var checked = false;

  var rules = {};
  Object.keys(data.rules).forEach(function (kind) {
    var r = data.rules[kind];
    rules[kind] = {
      re: r.pattern ? new RegExp(r.pattern, 'u') : null,
      max: r.max_len,
      message: r.message,
      hint: r.hint,
      warning: r.warning_only
    };
  });

  // ---- values ----------------------------------------------------------

  function control(name) {
    return form.querySelector('[data-name="' + name + '"]');
  }

  function value(el) {
    return el ? el.value.trim() : '';
  }

  function length(text) {
    return Array.from(text).length;
  }

  /** Whether a (trimmed, non-empty) value follows the rule of its kind. */
  function fits(kind, text) {
    var rule = rules[kind];
    if (!rule) {
      return true;
    }
    if (length(text) > rule.max || (rule.re && !rule.re.test(text))) {
      return false;
    }
    if (kind === 'date') {
      var d = new Date(text + 'T00:00:00Z');
      return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
    }
    return true;
  }

  function rows() {
    return rowsBox ? Array.prototype.slice.call(rowsBox.querySelectorAll('[data-pvog-row]')) : [];
  }

  function rowValues(row) {
    return data.pvog.columns.map(function (c) {
      return value(row.querySelector('[data-column-input="' + c.letter + '"]'));
    });
  }

  /** A row holds more than what the workbook prefills (LeiKa key and name). */
  function rowUsed(values) {
    var filled = values.some(function (v) { return v !== ''; });
    if (!filled) {
      return false;
    }
    var rest = values.slice(2).some(function (v) { return v !== ''; });
    var prefilled = (data.pvog.leikas || []).some(function (l) {
      return l[0] === values[0] && l[1] === values[1];
    });
    return rest || !prefilled;
  }

  // ---- messages at the fields and in the summary -----------------------

  function describedBy(el, id, on) {
    var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (x) {
      return x && x !== id;
    });
    if (on) {
      ids.push(id);
    }
    if (ids.length) {
      el.setAttribute('aria-describedby', ids.join(' '));
    } else {
      el.removeAttribute('aria-describedby');
    }
  }

  function clearMessage(el) {
    var box = el.closest('.kern-form-input');
    var p = document.getElementById(el.id + '_fehler');
    if (p) {
      p.hidden = true;
      p.classList.remove('is-warning');
      describedBy(el, p.id, false);
    }
    el.removeAttribute('aria-invalid');
    el.classList.remove('kern-form-input__input--error', 'kern-form-input__select--error');
    if (box) {
      box.classList.remove('kern-form-input--error');
    }
  }

  function showMessage(el, text, warning) {
    var box = el.closest('.kern-form-input');
    var p = document.getElementById(el.id + '_fehler');
    if (!p) {
      return;
    }
    p.querySelector('[data-error-text]').textContent = text;
    p.hidden = false;
    p.classList.toggle('is-warning', !!warning);
    describedBy(el, p.id, true);
    if (!warning) {
      el.setAttribute('aria-invalid', 'true');
      el.classList.add(el.tagName === 'SELECT' ? 'kern-form-input__select--error' : 'kern-form-input__input--error');
      if (box) {
        box.classList.add('kern-form-input--error');
      }
    }
  }

  /** Every problem: {el, field, summary, warning}. */
  function problems() {
    var found = [];
    var groups = {};
    data.inputs.forEach(function (input) {
      if (input.group && value(control(input.name)) !== '') {
        groups[input.group] = true;
      }
    });
    data.inputs.forEach(function (input) {
      var el = control(input.name);
      if (!el) {
        return;
      }
      var text = value(el);
      if (text === '') {
        if (input.required) {
          found.push({ el: el, field: input.missing, summary: input.missing });
        } else if (input.needed && groups[input.group]) {
          found.push({ el: el, field: input.incomplete, summary: input.incomplete });
        }
        return;
      }
      if (!fits(input.kind, text)) {
        var rule = rules[input.kind];
        found.push({
          el: el,
          field: rule.message + ' ' + rule.hint,
          summary: input.label + ': ' + rule.message,
          warning: rule.warning
        });
      }
    });
    return found.concat(agsLandProblems(), pvogProblems());
  }

  /** A template of the build with its {name} placeholders filled. */
  function worded(template, values) {
    function one(text) {
      return text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
      });
    }
    return { message: one(template.message), hint: one(template.hint) };
  }

  function landName(code) {
    var found = data.cross.laender.filter(function (l) { return l[0] === code; })[0];
    return found ? found[1] : '';
  }

  function landCode(name) {
    var found = data.cross.laender.filter(function (l) { return l[1] === name; })[0];
    return found ? found[0] : '';
  }

  /** The AGS starts with the number of the Land chosen (as import checks). */
  function agsLandProblems() {
    var agsInput = data.inputs.filter(function (i) { return i.kind === 'ags'; })[0];
    var landInput = data.inputs.filter(function (i) { return i.kind === 'land'; })[0];
    if (!agsInput || !landInput) {
      return [];
    }
    var el = control(agsInput.name);
    var ags = value(el);
    var given = value(control(landInput.name));
    var code = landCode(given);
    if (!code || ags === '' || !fits('ags', ags) || ags.slice(0, 2) === code) {
      return [];
    }
    var t = worded(data.cross.ags_land, { ags: ags, found: landName(ags.slice(0, 2)), given: given, code: code });
    return [{ el: el, field: t.message + ' ' + t.hint, summary: agsInput.label + ': ' + t.message }];
  }

  /** A well-formed LeiKa key that is none of the service's (as import checks). */
  function foreignLeika(text) {
    var keys = data.cross.leikas.map(function (l) { return l[0]; });
    if (!keys.length || keys.indexOf(text) >= 0 || !fits('leika', text)) {
      return null;
    }
    return worded(data.cross.unknown_leika, { key: text, keys: keys.join(', ') });
  }

  function pvogProblems() {
    if (!data.pvog || !rowsBox) {
      return [];
    }
    var found = [];
    var links = 0;
    rows().forEach(function (row, index) {
      var values = rowValues(row);
      if (!rowUsed(values)) {
        return;
      }
      data.pvog.columns.forEach(function (c, i) {
        var el = row.querySelector('[data-column-input="' + c.letter + '"]');
        var where = 'PVOG-Links, Zeile ' + (index + 1) + ', ' + c.label;
        if (values[i] === '') {
          if (c.required) {
            var text = c.missing.replace('{n}', String(index + 1));
            found.push({ el: el, field: text, summary: text });
          }
          return;
        }
        if (c.kind === 'url') {
          links += 1;
        }
        var foreign = c.kind === 'leika' ? foreignLeika(values[i]) : null;
        if (!fits(c.kind, values[i])) {
          var rule = rules[c.kind];
          found.push({ el: el, field: rule.message + ' ' + rule.hint, summary: where + ': ' + rule.message });
        } else if (foreign) {
          found.push({ el: el, field: foreign.message + ' ' + foreign.hint, summary: where + ': ' + foreign.message });
        }
      });
    });
    if (data.pvog.required && links === 0) {
      var first = rowsBox.querySelector('[data-column-input="' + linkColumn() + '"]');
      found.push({ el: first, field: data.pvog.missing, summary: data.pvog.missing });
    }
    return found;
  }

  function linkColumn() {
    var letter = 'E';
    data.pvog.columns.forEach(function (c) {
      if (c.kind === 'url') {
        letter = c.letter;
      }
    });
    return letter;
  }

  /** Show the problems at their fields and (errors only) in the summary. */
  function report(found, focus) {
    Array.prototype.forEach.call(form.querySelectorAll('input, select, textarea'), function (el) {
      if (el.id) {
        clearMessage(el);
      }
    });
    var errors = found.filter(function (p) { return !p.warning; });
    found.forEach(function (p) {
      if (p.el) {
        showMessage(p.el, p.field, p.warning);
      }
    });
    summaryList.textContent = '';
    errors.forEach(function (p) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.className = 'kern-link';
      a.href = '#' + p.el.id;
      a.textContent = p.summary;
      li.appendChild(a);
      summaryList.appendChild(li);
    });
    summary.hidden = errors.length === 0;
    document.title = errors.length ? 'Fehler: ' + pageTitle : pageTitle;
    if (errors.length && focus) {
      summary.focus();
    }
    return errors.length;
  }

  summaryList.addEventListener('click', function (event) {
    var a = event.target.closest('a');
    if (!a) {
      return;
    }
    var el = document.getElementById(a.getAttribute('href').slice(1));
    if (!el) {
      return;
    }
    event.preventDefault();
    var label = form.querySelector('label[for="' + el.id + '"]');
    (label || el).scrollIntoView();
    el.focus({ preventScroll: true });
  });

  form.addEventListener('change', function () {
    if (checked) {
      report(problems(), false);
    }
  });

  // ---- status and mail ---------------------------------------------------

  function say(text) {
    statusBox.textContent = '';
    window.setTimeout(function () {
      statusBox.textContent = text;
    }, 50);
  }

  function kommune() {
    return value(control('kommune'));
  }

  function updateMail() {
    var subject = data.mail.subject + (kommune() ? ' – ' + kommune() : '');
    var href = 'mailto:' + data.mail.to + '?subject=' + encodeURIComponent(subject);
    Array.prototype.forEach.call(root.querySelectorAll('[data-mailto]'), function (a) {
      a.href = href;
    });
  }

  form.addEventListener('input', function (event) {
    if (event.target.getAttribute('data-name') === 'kommune') {
      updateMail();
    }
  });

  // ---- further contact persons --------------------------------------------

  function fieldOf(group) {
    return group.replace(/\.\d+$/, '');
  }

  function persons(field) {
    return Array.prototype.filter.call(form.querySelectorAll('[data-person]'), function (p) {
      return fieldOf(p.getAttribute('data-person')) === field && /\.\d+$/.test(p.getAttribute('data-person'));
    });
  }

  function personEmpty(fieldset) {
    return Array.prototype.every.call(fieldset.querySelectorAll('[data-name]'), function (el) {
      return value(el) === '';
    });
  }

  /** The add button shows at the last visible person of a field with room for one more. */
  function updatePersonButtons() {
    var fields = {};
    Array.prototype.forEach.call(form.querySelectorAll('[data-person]'), function (p) {
      fields[fieldOf(p.getAttribute('data-person'))] = true;
    });
    Object.keys(fields).forEach(function (field) {
      var all = persons(field);
      var visible = all.filter(function (p) { return !p.hidden; });
      all.forEach(function (p) {
        var add = p.querySelector('[data-add-person]');
        var remove = p.querySelector('[data-remove-person]');
        if (add) {
          add.hidden = !(p === visible[visible.length - 1] && visible.length < all.length);
        }
        if (remove) {
          remove.hidden = p.hidden;
        }
      });
    });
  }

  function showFilledPersons() {
    Array.prototype.forEach.call(form.querySelectorAll('[data-person][data-extra]'), function (p) {
      p.hidden = personEmpty(p);
    });
    updatePersonButtons();
  }

  form.addEventListener('click', function (event) {
    var add = event.target.closest('[data-add-person]');
    var remove = event.target.closest('[data-remove-person]');
    if (add) {
      var next = persons(fieldOf(add.closest('[data-person]').getAttribute('data-person'))).filter(function (p) {
        return p.hidden;
      })[0];
      if (next) {
        next.hidden = false;
        updatePersonButtons();
        next.querySelector('[data-name]').focus();
      }
    } else if (remove) {
      var fieldset = remove.closest('[data-person]');
      var legend = fieldset.querySelector('legend').firstChild.textContent.trim();
      Array.prototype.forEach.call(fieldset.querySelectorAll('[data-name]'), function (el) {
        el.value = '';
        clearMessage(el);
      });
      fieldset.hidden = true;
      var field = fieldOf(fieldset.getAttribute('data-person'));
      // The persons after it move up, so that the filled ones stay in order.
      compactPersons(field);
      updatePersonButtons();
      var visible = persons(field).filter(function (p) { return !p.hidden; });
      var last = visible[visible.length - 1];
      (last.querySelector('[data-add-person]:not([hidden])') || last.querySelector('[data-name]')).focus();
      say(legend + ' entfernt.');
      if (checked) {
        report(problems(), false);
      }
    }
  });

  function compactPersons(field) {
    var all = persons(field);
    var filled = all.filter(function (p) { return !p.hidden && !personEmpty(p); }).map(function (p) {
      return Array.prototype.map.call(p.querySelectorAll('[data-name]'), function (el) { return el.value; });
    });
    var shown = all.filter(function (p) { return !p.hidden; }).length;
    all.forEach(function (p, i) {
      var values = filled[i] || [];
      Array.prototype.forEach.call(p.querySelectorAll('[data-name]'), function (el, j) {
        el.value = values[j] || '';
      });
      p.hidden = i > 0 && i >= Math.max(shown, 1);
    });
  }

  // ---- rows of the PVOG table -------------------------------------------

  function renumber() {
    var all = rows();
    all.forEach(function (row, i) {
      var n = String(i + 1);
      Array.prototype.forEach.call(row.querySelectorAll('[data-row-number]'), function (s) {
        s.textContent = n;
      });
      Array.prototype.forEach.call(row.querySelectorAll('[id], [for], [aria-describedby], [name]'), function (el) {
        ['id', 'for', 'aria-describedby'].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v) {
            el.setAttribute(attr, v.replace(/_(?:\d+|__N__)_([A-Z]+)/g, '_' + n + '_$1'));
          }
        });
        var name = el.getAttribute('name');
        if (name) {
          el.setAttribute('name', name.replace(/^pvog\.(?:\d+|__N__)\./, 'pvog.' + n + '.'));
        }
      });
      row.querySelector('[data-remove-row]').hidden = all.length < 2;
    });
    var add = pvogBox.querySelector('[data-add-row]');
    add.hidden = all.length >= data.pvog.max_rows;
  }

  function addRow(values) {
    var holder = document.createElement('div');
    holder.innerHTML = rowTemplate.innerHTML;
    var row = holder.firstElementChild;
    rowsBox.appendChild(row);
    (values || []).forEach(function (v, i) {
      var el = row.querySelector('[data-column-input="' + data.pvog.columns[i].letter + '"]');
      if (el) {
        el.value = v;
      }
    });
    renumber();
    return row;
  }

  if (pvogBox && rowsBox && rowTemplate) {
    pvogBox.addEventListener('click', function (event) {
      var add = event.target.closest('[data-add-row]');
      var remove = event.target.closest('[data-remove-row]');
      if (add) {
        var row = addRow([]);
        row.querySelector('input').focus();
        say('Zeile ' + rows().length + ' hinzugefügt.');
      } else if (remove) {
        var all = rows();
        var gone = remove.closest('[data-pvog-row]');
        var index = all.indexOf(gone);
        gone.parentNode.removeChild(gone);
        renumber();
        var rest = rows();
        var next = rest[Math.min(index, rest.length - 1)];
        next.querySelector('input').focus();
        say('Zeile ' + (index + 1) + ' entfernt.');
        if (checked) {
          report(problems(), false);
        }
      }
    });
  }

  // ---- the draft, only when asked for --------------------------------------

  function snapshot() {
    var values = {};
    data.inputs.forEach(function (input) {
      var el = control(input.name);
      if (el && el.value !== '') {
        values[input.name] = el.value;
      }
    });
    return {
      version: 1,
      saved: new Date().toISOString(),
      values: values,
      pvog: data.pvog && rowsBox ? rows().map(rowValues) : []
    };
  }

  function restore(draft) {
    data.inputs.forEach(function (input) {
      var el = control(input.name);
      if (el && Object.prototype.hasOwnProperty.call(draft.values || {}, input.name)) {
        el.value = draft.values[input.name];
      }
    });
    if (data.pvog && rowsBox && draft.pvog && draft.pvog.length) {
      rows().forEach(function (row) { row.parentNode.removeChild(row); });
      draft.pvog.slice(0, data.pvog.max_rows).forEach(function (values) { addRow(values); });
    }
  }

  function storage() {
    try {
      return window.localStorage;
    } catch (e) {
      return null;
    }
  }

  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return '';
    }
    return d.toLocaleString('de-DE', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  }

  draftSave.addEventListener('click', function () {
    var store = storage();
    if (!store) {
      say('Dieser Browser erlaubt keinen gespeicherten Entwurf. Laden Sie den Fragebogen herunter, um Ihre Angaben zu behalten.');
      return;
    }
    var draft = snapshot();
    try {
      store.setItem(data.draft_key, JSON.stringify(draft));
    } catch (e) {
      say('Der Entwurf ließ sich nicht speichern.');
      return;
    }
    draftDelete.hidden = false;
    say('Entwurf gespeichert (' + when(draft.saved) + ' Uhr). Er bleibt in diesem Browser, bis Sie „Entwurf löschen“ wählen.');
  });

  draftDelete.addEventListener('click', function () {
    var store = storage();
    if (store) {
      store.removeItem(data.draft_key);
    }
    draftDelete.hidden = true;
    draftSave.focus();
    say('Entwurf gelöscht: In diesem Browser ist nichts mehr gespeichert. Ihre Eingaben auf dieser Seite bleiben, bis Sie die Seite schließen.');
  });

  function loadDraft() {
    var store = storage();
    var text = store && store.getItem(data.draft_key);
    if (!text) {
      return;
    }
    try {
      var draft = JSON.parse(text);
      restore(draft);
      draftDelete.hidden = false;
      say('Ihr Entwurf vom ' + when(draft.saved) + ' Uhr ist geladen. Wählen Sie „Entwurf löschen“, wenn er nicht mehr in diesem Browser bleiben soll.');
    } catch (e) {
      store.removeItem(data.draft_key);
    }
  }

  // ---- the filled-in workbook ---------------------------------------------

  var MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  var REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  var XML_NS = 'http://www.w3.org/XML/1998/namespace';

  function parse(bytes) {
    return new DOMParser().parseFromString(fflate.strFromU8(bytes), 'application/xml');
  }

  function serialise(doc) {
    // Some browsers write the declaration, some leave it out: one, always.
    var text = new XMLSerializer().serializeToString(doc).replace(/^<\?xml[^>]*\?>\s*/, '');
    return fflate.strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text);
  }

  /** The path in the zip of each sheet, by name. */
  function sheetPaths(files) {
    var book = parse(files['xl/workbook.xml']);
    var rels = parse(files['xl/_rels/workbook.xml.rels']);
    var targets = {};
    Array.prototype.forEach.call(rels.getElementsByTagName('Relationship'), function (r) {
      var target = r.getAttribute('Target');
      targets[r.getAttribute('Id')] = target.charAt(0) === '/' ? target.slice(1) : 'xl/' + target;
    });
    var paths = {};
    Array.prototype.forEach.call(book.getElementsByTagNameNS(MAIN_NS, 'sheet'), function (s) {
      paths[s.getAttribute('name')] = targets[s.getAttributeNS(REL_NS, 'id')];
    });
    return paths;
  }

  function column(ref) {
    var letters = ref.match(/^[A-Z]+/)[0];
    var n = 0;
    for (var i = 0; i < letters.length; i += 1) {
      n = n * 26 + letters.charCodeAt(i) - 64;
    }
    return n;
  }

  /** A sheet's cells by reference, creating rows and cells where needed. */
  function sheet(doc) {
    var sheetData = doc.getElementsByTagNameNS(MAIN_NS, 'sheetData')[0];
    var rowsByNumber = {};
    Array.prototype.forEach.call(sheetData.getElementsByTagNameNS(MAIN_NS, 'row'), function (row) {
      rowsByNumber[row.getAttribute('r')] = row;
    });
    function row(n) {
      if (rowsByNumber[n]) {
        return rowsByNumber[n];
      }
      var created = doc.createElementNS(MAIN_NS, 'row');
      created.setAttribute('r', String(n));
      var after = Array.prototype.filter.call(sheetData.childNodes, function (r) {
        return r.nodeType === 1 && Number(r.getAttribute('r')) > n;
      })[0];
      sheetData.insertBefore(created, after || null);
      rowsByNumber[n] = created;
      return created;
    }
    function cell(ref, create) {
      var r = row(Number(ref.match(/\d+$/)[0]));
      var cells = r.getElementsByTagNameNS(MAIN_NS, 'c');
      for (var i = 0; i < cells.length; i += 1) {
        if (cells[i].getAttribute('r') === ref) {
          return cells[i];
        }
      }
      if (!create) {
        return null;
      }
      var created = doc.createElementNS(MAIN_NS, 'c');
      created.setAttribute('r', ref);
      var after = Array.prototype.filter.call(cells, function (c) {
        return column(c.getAttribute('r')) > column(ref);
      })[0];
      r.insertBefore(created, after || null);
      return created;
    }
    return { cell: cell };
  }

  /** Write `text` into a cell as an inline string (keeping its style), or empty it. */
  function write(cells, ref, text) {
    var c = cells.cell(ref, text !== '');
    if (!c) {
      return;
    }
    while (c.firstChild) {
      c.removeChild(c.firstChild);
    }
    c.removeAttribute('t');
    if (text === '') {
      return;
    }
    var doc = c.ownerDocument;
    var is = doc.createElementNS(MAIN_NS, 'is');
    var t = doc.createElementNS(MAIN_NS, 't');
    t.setAttributeNS(XML_NS, 'xml:space', 'preserve');
    // Characters XML 1.0 cannot hold are left out.
    t.textContent = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
    is.appendChild(t);
    c.setAttribute('t', 'inlineStr');
    c.appendChild(is);
  }

  function fill(bytes) {
    var files = fflate.unzipSync(new Uint8Array(bytes));
    var paths = sheetPaths(files);
    var mainPath = paths[data.sheet];
    var main = parse(files[mainPath]);
    var cells = sheet(main);
    data.inputs.forEach(function (input) {
      write(cells, input.cell, value(control(input.name)));
    });
    files[mainPath] = serialise(main);
    if (data.pvog && rowsBox && paths[data.pvog.sheet]) {
      var pvogPath = paths[data.pvog.sheet];
      var pvog = parse(files[pvogPath]);
      var table = sheet(pvog);
      var filled = rows().map(rowValues);
      for (var i = 0; i < data.pvog.max_rows; i += 1) {
        var values = filled[i] || [];
        data.pvog.columns.forEach(function (c, j) {
          write(table, c.letter + (data.pvog.first_row + i), values[j] || '');
        });
      }
      files[pvogPath] = serialise(pvog);
    }
    return fflate.zipSync(files, { level: 6 });
  }

  function slug(text) {
    return text.toLowerCase()
      .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
  }

  function offer(bytes, name) {
    var blob = new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    checked = true;
    if (report(problems(), true) > 0) {
      return;
    }
    if (!data.xlsx || typeof fflate === 'undefined') {
      say('Die Excel-Vorlage steht gerade nicht bereit. Drucken Sie diese Seite oder versuchen Sie es später noch einmal.');
      return;
    }
    var name = data.file_name + (slug(kommune()) ? '-' + slug(kommune()) : '') + '.xlsx';
    fetch(data.xlsx, { credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.arrayBuffer();
      })
      .then(function (bytes) {
        offer(fill(bytes), name);
        say('Der ausgefüllte Fragebogen ist heruntergeladen: ' + name + '. Senden Sie die Datei an ' + data.mail.to + '.');
      })
      .catch(function () {
        say('Die Excel-Vorlage ließ sich nicht laden oder ausfüllen. Prüfen Sie die Verbindung und versuchen Sie es noch einmal.');
      });
  });

  // ---- start ------------------------------------------------------------

  Array.prototype.forEach.call(root.querySelectorAll('[data-js-only], [data-js-text]'), function (el) {
    el.hidden = false;
  });
  Array.prototype.forEach.call(root.querySelectorAll('[data-nojs-text]'), function (el) {
    el.hidden = true;
  });
  root.classList.add('questionnaire--js');
  loadDraft();
  if (rowsBox && rowTemplate && data.pvog) {
    renumber();
  }
  showFilledPersons();
  updateMail();
})();
