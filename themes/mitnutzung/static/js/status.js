/*
 * Stand der Anbindung: filter and sort the status table.
 *
 * An enhancement only: without this script the page shows the complete
 * table, and the filter form stays hidden. With it:
 * - the form (Land, Dienst, Status, Suche) filters the rows,
 * - each column header gets a button that sorts by that column
 *   (stable: equal values keep their current order; "seit" by ISO date,
 *   "Status" by the order of the statuses, both from the cells' data-sort
 *   attributes), sets aria-sort and says the order in the caption,
 * - the live region announces "N von M Einträgen angezeigt".
 * Plain ES5, no library, no reliance on automatic semicolon insertion.
 */
(function () {
  'use strict';

  var table = document.querySelector('table[data-status-table]');
  if (!table || !table.tBodies.length || !table.tHead) {
    return;
  }
  var form = document.querySelector('form[data-status-filter]');
  var live = document.getElementById(table.getAttribute('data-count-target'));
  var tbody = table.tBodies[0];
  var rows = [];
  var i;

  for (i = 0; i < tbody.rows.length; i += 1) {
    if (tbody.rows[i].hasAttribute('data-status')) {
      rows.push({ el: tbody.rows[i], position: i });
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

  function normalize(text) {
    return (text || '').toLowerCase().replace(/\s+/g, ' ').trim();
  }

  function fieldValue(name) {
    if (!form) {
      return '';
    }
    var field = form.querySelector('[data-filter="' + name + '"]');
    return field ? field.value : '';
  }

  function applyFilter(delay) {
    var state = fieldValue('state');
    var service = fieldValue('service');
    var status = fieldValue('status');
    var words = normalize(fieldValue('text')).split(' ');
    var shown = 0;
    var j;
    var k;
    for (j = 0; j < rows.length; j += 1) {
      var el = rows[j].el;
      var text = normalize(el.textContent);
      var match = (!state || el.getAttribute('data-state') === state) &&
        (!service || el.getAttribute('data-service') === service) &&
        (!status || el.getAttribute('data-status') === status);
      for (k = 0; match && k < words.length; k += 1) {
        if (words[k] && text.indexOf(words[k]) === -1) {
          match = false;
        }
      }
      el.hidden = !match;
      if (match) {
        shown += 1;
      }
    }
    announce(countText(shown), delay);
  }

  if (form) {
    form.hidden = false;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      applyFilter(0);
    });
    form.addEventListener('change', function () {
      applyFilter(100);
    });
    form.addEventListener('input', function () {
      applyFilter(600);
    });
    form.addEventListener('reset', function () {
      window.setTimeout(function () {
        applyFilter(100);
      }, 0);
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
    if (captionNote) {
      captionNote.textContent = ', sortiert nach ' + buttons[column].getAttribute('data-label') + ', ' + directionText;
    }

    var shown = 0;
    for (j = 0; j < rows.length; j += 1) {
      if (!rows[j].el.hidden) {
        shown += 1;
      }
    }
    announce('Sortiert nach ' + buttons[column].getAttribute('data-label') + ', ' +
      directionText + '. ' + countText(shown), 100);
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
