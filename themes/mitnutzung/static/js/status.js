/*
 * Stand der Anbindung: filter and sort the status table.
 *
 * An enhancement only: without this script the page shows the complete
 * table, and the filter form stays hidden. With it:
 * - the form (Land, Dienst, Status, Suche) filters the rows; the search
 *   ignores case and folds umlauts both ways ("Muenster" and "Munster"
 *   find "Münster"),
 * - the filter lives in the address (?land=…&dienst=…&status=…&suche=…):
 *   a shared address opens filtered, the back button restores the
 *   previous filter (history.pushState; typing replaces the entry),
 * - the visible count changes at once; the screen-reader announcement
 *   "N von M Einträgen angezeigt" waits until the input pauses,
 * - "Keine Einträge gefunden" shows when nothing matches,
 * - each column header gets a button that sorts by that column
 *   (stable: equal values keep their current order; "seit" by ISO date,
 *   "Status" by the order of the statuses, both from the cells' data-sort
 *   attributes), sets aria-sort and says the order in the caption,
 * - the table gets explicit ARIA table roles, because the stacked layout
 *   for phones (display: block) makes some browsers forget them.
 * Plain ES5, no library, no reliance on automatic semicolon insertion.
 */
(function () {
  'use strict';

  var table = document.querySelector('table[data-status-table]');
  if (!table || !table.tBodies.length || !table.tHead) {
    return;
  }
  var form = document.querySelector('form[data-status-filter]');
  var count = document.getElementById(table.getAttribute('data-count-target'));
  var live = document.getElementById(table.getAttribute('data-live-target'));
  var tbody = table.tBodies[0];
  var empty = tbody.querySelector('[data-status-empty]');
  var rows = [];
  var i;

  /* ---------- text folding for the search ---------- */

  function plain(text) {
    var s = text.toLowerCase().replace(/ß/g, 'ss');
    if (s.normalize) {
      s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
    }
    return s.replace(/\s+/g, ' ').trim();
  }

  /* "ä" as "ae" (and ö, ü): how umlauts are written without them. */
  function spelled(text) {
    var s = text.toLowerCase();
    if (s.normalize) {
      s = s.normalize('NFC');
    }
    return plain(s.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue'));
  }

  for (i = 0; i < tbody.rows.length; i += 1) {
    var el = tbody.rows[i];
    if (el.hasAttribute('data-status')) {
      var text = el.textContent || '';
      rows.push({ el: el, position: i, plain: plain(text), spelled: spelled(text) });
    }
  }
  if (rows.length === 0) {
    return;
  }

  var collator = (window.Intl && Intl.Collator)
    ? new Intl.Collator('de', { numeric: true, sensitivity: 'base' })
    : null;
  var announceTimer = null;
  var sortState = { column: -1, direction: 'ascending' };

  /* ---------- ARIA roles (kept when CSS stacks the rows) ---------- */

  function setRoles() {
    var j;
    var k;
    table.setAttribute('role', 'table');
    var groups = table.querySelectorAll('thead, tbody');
    for (j = 0; j < groups.length; j += 1) {
      groups[j].setAttribute('role', 'rowgroup');
    }
    var all = table.rows;
    for (j = 0; j < all.length; j += 1) {
      all[j].setAttribute('role', 'row');
      for (k = 0; k < all[j].cells.length; k += 1) {
        var cell = all[j].cells[k];
        var role = 'cell';
        if (cell.nodeName === 'TH') {
          role = cell.getAttribute('scope') === 'row' ? 'rowheader' : 'columnheader';
        }
        cell.setAttribute('role', role);
      }
    }
  }
  setRoles();

  function cellValue(row, column) {
    var cell = row.el.cells[column];
    if (!cell) {
      return '';
    }
    var value = cell.getAttribute('data-sort');
    return value === null ? (cell.textContent || '').trim() : value;
  }

  function compareText(a, b) {
    if (collator) {
      return collator.compare(a, b);
    }
    return a < b ? -1 : (a > b ? 1 : 0);
  }

  function countText(shown) {
    return shown + ' von ' + rows.length + ' Einträgen angezeigt';
  }

  /* The live region speaks after a pause; the visible count is set at once. */
  function announce(text, delay) {
    if (!live) {
      return;
    }
    if (announceTimer) {
      window.clearTimeout(announceTimer);
    }
    announceTimer = window.setTimeout(function () {
      live.textContent = text;
    }, delay);
  }

  /* ---------- filtering ---------- */

  var fields = {};
  var names = ['state', 'service', 'status', 'text'];
  if (form) {
    for (i = 0; i < names.length; i += 1) {
      fields[names[i]] = form.querySelector('[data-filter="' + names[i] + '"]');
    }
  }

  function fieldValue(name) {
    return fields[name] ? fields[name].value : '';
  }

  function matches(row, words) {
    var k;
    for (k = 0; k < words.length; k += 1) {
      if (words[k].plain && row.plain.indexOf(words[k].plain) === -1 &&
          row.spelled.indexOf(words[k].spelled) === -1) {
        return false;
      }
    }
    return true;
  }

  function applyFilter(delay) {
    var state = fieldValue('state');
    var service = fieldValue('service');
    var status = fieldValue('status');
    var query = fieldValue('text');
    var parts = plain(query).split(' ');
    var spelledParts = spelled(query).split(' ');
    var words = [];
    var shown = 0;
    var j;
    for (j = 0; j < parts.length; j += 1) {
      if (parts[j]) {
        words.push({ plain: parts[j], spelled: spelledParts[j] || parts[j] });
      }
    }
    for (j = 0; j < rows.length; j += 1) {
      var el = rows[j].el;
      var match = (!state || el.getAttribute('data-state') === state) &&
        (!service || el.getAttribute('data-service') === service) &&
        (!status || el.getAttribute('data-status') === status) &&
        matches(rows[j], words);
      el.hidden = !match;
      if (match) {
        shown += 1;
      }
    }
    if (empty) {
      empty.hidden = shown > 0;
    }
    var text = countText(shown);
    if (count) {
      count.textContent = shown === 0 ? 'Keine Einträge gefunden (0 von ' + rows.length + ')' : text;
    }
    announce(shown === 0 ? 'Keine Einträge gefunden. ' + text : text, delay);
  }

  /* ---------- the filter in the address ---------- */

  /* field name in the form -> parameter in the address (the form's names) */
  function params() {
    var out = [];
    var j;
    for (j = 0; j < names.length; j += 1) {
      var f = fields[names[j]];
      if (f && f.value) {
        out.push(encodeURIComponent(f.name) + '=' + encodeURIComponent(f.value));
      }
    }
    return out.length ? '?' + out.join('&') : '';
  }

  function readAddress() {
    var query = window.location.search.replace(/^\?/, '');
    var values = {};
    var j;
    if (query) {
      var pairs = query.split('&');
      for (j = 0; j < pairs.length; j += 1) {
        var eq = pairs[j].indexOf('=');
        if (eq > 0) {
          try {
            values[decodeURIComponent(pairs[j].slice(0, eq))] =
              decodeURIComponent(pairs[j].slice(eq + 1).replace(/\+/g, ' '));
          } catch (e) {
            /* a broken parameter is ignored */
          }
        }
      }
    }
    for (j = 0; j < names.length; j += 1) {
      var f = fields[names[j]];
      if (!f) {
        continue;
      }
      var v = Object.prototype.hasOwnProperty.call(values, f.name) ? values[f.name] : '';
      if (f.nodeName === 'SELECT') {
        var known = false;
        var k;
        for (k = 0; k < f.options.length; k += 1) {
          if (f.options[k].value === v) {
            known = true;
          }
        }
        f.value = known ? v : '';
      } else {
        f.value = v;
      }
    }
  }

  var typing = false;

  function remember(replace) {
    if (!window.history || !window.history.pushState) {
      return;
    }
    var url = window.location.pathname + params() + window.location.hash;
    if (url === window.location.pathname + window.location.search + window.location.hash) {
      return;
    }
    if (replace) {
      window.history.replaceState({ statusFilter: true }, '', url);
    } else {
      window.history.pushState({ statusFilter: true }, '', url);
    }
  }

  if (form) {
    form.hidden = false;
    readAddress();
    if (window.location.search) {
      applyFilter(300);
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      typing = false;
      applyFilter(0);
    });
    form.addEventListener('change', function (event) {
      if (event.target === fields.text) {
        typing = false;
        return;
      }
      typing = false;
      remember(false);
      applyFilter(300);
    });
    form.addEventListener('input', function (event) {
      if (event.target !== fields.text) {
        return;
      }
      /* the first keystroke of a search makes a history entry, the rest replace it */
      remember(typing);
      typing = true;
      applyFilter(800);
    });
    form.addEventListener('reset', function () {
      window.setTimeout(function () {
        typing = false;
        remember(false);
        applyFilter(300);
      }, 0);
    });
    window.addEventListener('popstate', function () {
      typing = false;
      readAddress();
      applyFilter(300);
    });
  }

  /* ---------- sorting ---------- */

  var headers = table.tHead.rows[0].cells;
  var captionNote = table.querySelector('caption [data-sort-caption]');
  var buttons = [];

  function sortBy(column) {
    var type = headers[column].getAttribute('data-sort-type') || 'text';
    var direction = 'ascending';
    if (sortState.column === column && sortState.direction === 'ascending') {
      direction = 'descending';
    }
    var factor = direction === 'ascending' ? 1 : -1;
    var j;
    for (j = 0; j < rows.length; j += 1) {
      rows[j].position = j;
    }
    rows.sort(function (a, b) {
      var x = cellValue(a, column);
      var y = cellValue(b, column);
      var result;
      if (type === 'number') {
        result = (parseFloat(x) || 0) - (parseFloat(y) || 0);
      } else {
        result = compareText(x, y);
      }
      if (result === 0) {
        return a.position - b.position;
      }
      return result * factor;
    });
    var fragment = document.createDocumentFragment();
    for (j = 0; j < rows.length; j += 1) {
      fragment.appendChild(rows[j].el);
    }
    if (empty) {
      fragment.appendChild(empty);
    }
    tbody.appendChild(fragment);

    for (j = 0; j < headers.length; j += 1) {
      if (j === column) {
        headers[j].setAttribute('aria-sort', direction);
      } else {
        headers[j].removeAttribute('aria-sort');
      }
    }
    sortState.column = column;
    sortState.direction = direction;
    var directionText = direction === 'ascending' ? 'aufsteigend' : 'absteigend';
    var label = buttons[column].getAttribute('data-label');
    if (captionNote) {
      captionNote.textContent = ', sortiert nach „' + label + '“, ' + directionText;
    }

    var shown = 0;
    for (j = 0; j < rows.length; j += 1) {
      if (!rows[j].el.hidden) {
        shown += 1;
      }
    }
    announce('Sortiert nach „' + label + '“, ' + directionText + '. ' + countText(shown), 100);
  }

  function makeButton(column) {
    var th = headers[column];
    var label = (th.textContent || '').trim();
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'sort-button';
    button.setAttribute('data-label', th.getAttribute('data-sort-label') || label);
    var text = document.createElement('span');
    text.textContent = label;
    var icon = document.createElement('span');
    icon.className = 'sort-button__icon';
    icon.setAttribute('aria-hidden', 'true');
    button.appendChild(text);
    button.appendChild(icon);
    button.addEventListener('click', function () {
      sortBy(column);
    });
    th.textContent = '';
    th.appendChild(button);
    return button;
  }

  for (i = 0; i < headers.length; i += 1) {
    buttons.push(makeButton(i));
  }

  table.classList.add('is-sortable');
}());
