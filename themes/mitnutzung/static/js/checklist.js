/*
 * Per-service page: the task lists of the steps as a checklist, and the
 * step navigator.
 *
 * An enhancement only: without this script the task lists are printable
 * boxes (disabled checkboxes) and the navigator is an open list of links.
 * With it:
 * - every checkbox of a step is operable and labelled by its text,
 * - ticks are kept in this browser only (localStorage, key
 *   "mitnutzung:checkliste:<service id>", a JSON object whose keys are task
 *   ids "<step id>:<hash of the task's text>"; nothing is sent anywhere),
 * - each step shows "N von M erledigt" (in the navigator and after its last
 *   task list); a ticked or unticked box is announced once in a
 *   polite live region,
 * - "Alle Häkchen zurücksetzen" clears the ticks of this service,
 * - the navigator is a closed <details> on narrow screens, open on wide
 *   ones, and marks the step being read.
 * Plain ES5, no library, no reliance on automatic semicolon insertion.
 */
(function () {
  'use strict';

  var article = document.querySelector('[data-checklist]');
  if (!article) {
    return;
  }
  var serviceId = article.getAttribute('data-checklist');
  var storageKey = 'mitnutzung:checkliste:' + serviceId;
  var store = null;
  var ticks = {};

  /* ---------- storage (may be unavailable: private mode, blocked) ---------- */

  try {
    store = window.localStorage;
    ticks = JSON.parse(store.getItem(storageKey) || '{}') || {};
    if (typeof ticks !== 'object' || ticks instanceof Array) {
      ticks = {};
    }
  } catch (e) {
    store = null;
    ticks = {};
  }

  function save() {
    if (!store) {
      return;
    }
    try {
      var keys = Object.keys(ticks);
      if (keys.length === 0) {
        store.removeItem(storageKey);
      } else {
        store.setItem(storageKey, JSON.stringify(ticks));
      }
    } catch (e) {
      /* quota or blocked: the ticks live until the page is left */
    }
  }

  /* ---------- task ids: step id + hash of the normalised text ---------- */

  function normalise(text) {
    return (text || '').replace(/\s+/g, ' ').trim().toLowerCase();
  }

  /* FNV-1a, 32 bit, as 7 base-36 digits: short, stable, not secret. */
  function hash(text) {
    var h = 0x811c9dc5;
    var i;
    for (i = 0; i < text.length; i += 1) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    var s = (h >>> 0).toString(36);
    while (s.length < 7) {
      s = '0' + s;
    }
    return s;
  }

  /* ---------- the live region (one for the page) ---------- */

  var live = document.createElement('p');
  live.className = 'kern-sr-only';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  article.appendChild(live);

  function announce(text) {
    live.textContent = '';
    window.setTimeout(function () {
      live.textContent = text;
    }, 50);
  }

  /* ---------- build the checklist ---------- */

  var steps = [];
  var sections = article.querySelectorAll('section[data-step]');
  var i;

  function isBlock(node) {
    return node.nodeType === 1 && /^(UL|OL|P|DIV|TABLE|PRE|BLOCKQUOTE)$/.test(node.nodeName);
  }

  /* Move the text after the checkbox into a <label for>. */
  function labelFor(input, id) {
    var label = document.createElement('label');
    label.className = 'task__label';
    label.setAttribute('for', id);
    var node = input.nextSibling;
    while (node && !isBlock(node)) {
      var next = node.nextSibling;
      label.appendChild(node);
      node = next;
    }
    input.parentNode.insertBefore(label, input.nextSibling);
    return label;
  }

  /* Writes "N von M erledigt" wherever the step shows it; returns the text. */
  function update(step) {
    var done = 0;
    var j;
    for (j = 0; j < step.boxes.length; j += 1) {
      if (step.boxes[j].checked) {
        done += 1;
      }
    }
    var text = done + ' von ' + step.boxes.length + ' erledigt';
    for (j = 0; j < step.outputs.length; j += 1) {
      step.outputs[j].textContent = step.prefix + text;
    }
    if (step.nav) {
      step.nav.textContent = text;
      step.nav.parentNode.classList.toggle('is-done', done === step.boxes.length);
    }
    return text;
  }

  function addStep(section) {
    var stepId = section.getAttribute('data-step');
    var step = { id: stepId, boxes: [], outputs: [], nav: null, prefix: '' };
    var inputs = section.querySelectorAll('li > input[type="checkbox"], li > p > input[type="checkbox"]');
    var seen = {};
    var j;
    for (j = 0; j < inputs.length; j += 1) {
      var input = inputs[j];
      var label = labelFor(input, '');
      var key = stepId + ':' + hash(normalise(label.textContent));
      if (seen[key]) {
        seen[key] += 1;
        key += '-' + seen[key];
      } else {
        seen[key] = 1;
      }
      var id = 'aufgabe_' + key.replace(/[^A-Za-z0-9_-]/g, '_');
      label.setAttribute('for', id);
      input.id = id;
      input.disabled = false;
      input.removeAttribute('disabled');
      input.removeAttribute('aria-label');
      input.setAttribute('data-task', key);
      input.checked = ticks[key] === 1 || ticks[key] === true;
      var li = input.closest ? input.closest('li') : input.parentNode;
      if (li) {
        li.classList.add('task');
      }
      step.boxes.push(input);
    }
    if (step.boxes.length === 0) {
      return;
    }
    /* After the step's last task list: "Schritt n: N von M erledigt". */
    var last = step.boxes[step.boxes.length - 1];
    var list = last.closest ? last.closest('ul, ol') : null;
    var number = section.querySelector('.step__kicker');
    step.prefix = (number ? number.textContent.replace(/ von .*$/, '') : 'Schritt') + ': ';
    if (list) {
      var out = document.createElement('p');
      out.className = 'checklist-progress';
      list.parentNode.insertBefore(out, list.nextSibling);
      step.outputs.push(out);
    }
    step.nav = article.querySelector('[data-progress="' + stepId + '"]');
    update(step);
    steps.push(step);
  }

  for (i = 0; i < sections.length; i += 1) {
    addStep(sections[i]);
  }

  function stepOf(input) {
    var j;
    for (j = 0; j < steps.length; j += 1) {
      if (steps[j].boxes.indexOf(input) !== -1) {
        return steps[j];
      }
    }
    return null;
  }

  article.addEventListener('change', function (event) {
    var input = event.target;
    if (!input || !input.hasAttribute || !input.hasAttribute('data-task')) {
      return;
    }
    var step = stepOf(input);
    var key = input.getAttribute('data-task');
    if (input.checked) {
      ticks[key] = 1;
    } else {
      delete ticks[key];
    }
    save();
    if (step) {
      announce(step.prefix + update(step));
    }
  });

  /* ---------- reset ---------- */

  var reset = article.querySelector('[data-checklist-reset]');
  if (reset && steps.length > 0) {
    reset.hidden = false;
    reset.querySelector('button').addEventListener('click', function () {
      if (window.confirm && !window.confirm('Alle Häkchen dieser Anleitung zurücksetzen?')) {
        return;
      }
      var j;
      var k;
      ticks = {};
      save();
      for (j = 0; j < steps.length; j += 1) {
        for (k = 0; k < steps[j].boxes.length; k += 1) {
          steps[j].boxes[k].checked = false;
        }
        update(steps[j]);
      }
      announce('Alle Häkchen zurückgesetzt.');
    });
  }

  /* ---------- navigator: closed on narrow screens, open on wide ---------- */

  var details = article.querySelector('[data-step-nav]');
  if (details && window.matchMedia) {
    var wide = window.matchMedia('(min-width: 60em)');
    var place = function () {
      details.open = wide.matches;
    };
    place();
    if (wide.addEventListener) {
      wide.addEventListener('change', place);
    } else if (wide.addListener) {
      wide.addListener(place);
    }
  }

  /* ---------- navigator: mark the step being read ---------- */

  if (window.IntersectionObserver && sections.length > 0) {
    var items = {};
    var navItems = article.querySelectorAll('[data-step-nav-item]');
    for (i = 0; i < navItems.length; i += 1) {
      items[navItems[i].getAttribute('data-step-nav-item')] = navItems[i];
    }
    var visible = {};
    var observer = new IntersectionObserver(function (entries) {
      var j;
      for (j = 0; j < entries.length; j += 1) {
        visible[entries[j].target.getAttribute('data-step')] = entries[j].isIntersecting;
      }
      var current = null;
      for (j = 0; j < sections.length; j += 1) {
        if (visible[sections[j].getAttribute('data-step')]) {
          current = sections[j].getAttribute('data-step');
          break;
        }
      }
      var id;
      for (id in items) {
        if (Object.prototype.hasOwnProperty.call(items, id)) {
          items[id].classList.toggle('is-current', id === current);
        }
      }
    }, { rootMargin: '-30% 0px -60% 0px' });
    for (i = 0; i < sections.length; i += 1) {
      observer.observe(sections[i]);
    }
  }
}());
