/* siting report.html: the page's script. It draws the map (Leaflet) from the JSON in
   #report-data, makes the tables sortable, filters the applicants by id, and marks the
   page ready (<body data-ready="1" data-built-ms="…">) once it is built; an error is recorded in
   <body data-error="…"> for the browser check (tests/report_check.sh). */
(function () {
  'use strict';
  var body = document.body;
  window.addEventListener('error', function (e) {
    body.setAttribute('data-error', String(e.message || e));
  });

  var data = JSON.parse(document.getElementById('report-data').textContent);
  var lang = document.documentElement.lang;
  var dir = document.documentElement.dir;
  var SCALE = 1e5;

  /** A whole number in the page's digits, grouped by thousands. */
  function figure(n) {
    var s = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fa' ? '\u066C' : ',');
    if (lang === 'fa') {
      s = s.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x06F0 + (+d)); });
    }
    return s;
  }

  /** Persian and Arabic-Indic digits typed in a search box, as ASCII digits. */
  function asciiDigits(s) {
    return s.replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  /* ---- tables: sort by a header's column ---- */
  function sortTable(table, column, th) {
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows);
    var ascending = th.getAttribute('aria-sort') !== 'ascending';
    var collator = new Intl.Collator(lang, { numeric: true, sensitivity: 'base' });
    rows.sort(function (a, b) {
      var x = a.cells[column], y = b.cells[column];
      var sx = x && x.getAttribute('data-sort'), sy = y && y.getAttribute('data-sort');
      var r;
      if (sx !== null && sy !== null && sx !== undefined && sy !== undefined) {
        r = parseFloat(sx) - parseFloat(sy);
      } else {
        r = collator.compare(x ? x.textContent : '', y ? y.textContent : '');
      }
      return ascending ? r : -r;
    });
    rows.forEach(function (r) { tbody.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
      var button = th.querySelector('button.sort');
      if (button) {
        button.addEventListener('click', function () { sortTable(table, column, th); });
      }
    });
  });

  /* ---- applicants: search by id ---- */
  var search = document.getElementById('applicant-search');
  var counter = document.getElementById('applicant-count');
  if (search && counter) {
    search.setAttribute('placeholder', search.parentNode.textContent.trim());
    var rows = document.querySelectorAll('#applicants-table tbody tr');
    var total = rows.length;
    var filter = function () {
      var q = asciiDigits(search.value).trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var id = row.cells[0].textContent.toLowerCase();
        var hit = q === '' || id.indexOf(q) >= 0;
        row.hidden = !hit;
        if (hit) { shown += 1; }
      });
      counter.textContent = data.labels.searchCount
        .replace('{shown}', figure(shown)).replace('{total}', figure(total));
    };
    search.addEventListener('input', filter);
    filter();
  }

  /* ---- the map ---- */
  var mapElement = document.getElementById('map');
  if (mapElement && window.L && data.catchments.length > 0) {
    var inks = data.inks;
    var map = L.map(mapElement, {
      attributionControl: !!data.basemap,
      zoomSnap: 0.25,
      preferCanvas: false
    });
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    if (data.basemap) {
      L.tileLayer(data.basemap, { maxZoom: 19, attribution: esc(data.labels.basemap) }).addTo(map);
    }
    var decode = function (ring) {
      var points = [], x = 0, y = 0;
      for (var i = 0; i + 1 < ring.length; i += 2) {
        x += ring[i]; y += ring[i + 1];
        points.push([y / SCALE, x / SCALE]);
      }
      return points;
    };
    var at = function (p) { return [p[1] / SCALE, p[0] / SCALE]; };
    var heads = Array.prototype.map.call(
      document.querySelectorAll('#catchments-table thead th'),
      function (th) { return th.textContent; });
    var tip = function (c) {
      var row = document.getElementById('catchment-' + c.id);
      var html = '<div class="tip" dir="' + dir + '"><strong dir="ltr">' + esc(c.id) + '</strong><table>';
      if (row) {
        for (var i = 1; i < row.cells.length; i++) {
          var text = row.cells[i].textContent;
          if (text !== '') {
            html += '<tr><th>' + esc(heads[i] || '') + '</th><td>' + esc(text) + '</td></tr>';
          }
        }
      }
      return html + '</table></div>';
    };
    var groups = {
      catchments: L.featureGroup(), gaps: L.featureGroup(), changes: L.featureGroup(),
      proposals: L.featureGroup(), ideal: L.featureGroup(), sites: L.featureGroup()
    };
    var byId = {};
    var selected = null;
    var select = function (id, scroll) {
      if (selected) { selected.classList.remove('selected'); }
      selected = document.getElementById('catchment-' + id);
      if (selected) {
        selected.classList.add('selected');
        if (scroll) { selected.scrollIntoView({ block: 'nearest' }); }
      }
    };
    var cross = L.divIcon({ className: 'ideal-cross', iconSize: [10, 10], iconAnchor: [5, 5] });
    var square = L.divIcon({ className: 'existing-square', iconSize: [10, 10], iconAnchor: [5, 5],
      html: '<div style="width:100%;height:100%;background:' + inks.existing + '"></div>' });
    data.catchments.forEach(function (c) {
      var shape = c.parts.map(function (part) { return part.map(decode); });
      var polygon = L.polygon(shape, {
        color: '#ffffff', weight: 1, fillColor: c.fill, fillOpacity: 0.9
      });
      polygon.bindTooltip(function () { return tip(c); }, { sticky: true, direction: 'top' });
      polygon.bindPopup(function () { return tip(c); });
      polygon.on('click', function () { select(c.id, false); });
      groups.catchments.addLayer(polygon);
      byId[c.id] = polygon;
      if (c.status === 'gap') {
        groups.gaps.addLayer(L.polygon(shape, {
          interactive: false, color: inks.gap, weight: 1.6,
          fillColor: 'url(#gap-hatch)', fillOpacity: 1
        }));
      }
      if (c.change === 'new' || c.change === 're_tender') {
        groups.changes.addLayer(L.polygon(shape, {
          interactive: false, fill: false, color: inks.change, weight: 2.4,
          dashArray: c.change === 'new' ? '8 4' : '2 4'
        }));
      }
      groups.ideal.addLayer(L.marker(at(c.ideal), { icon: cross, interactive: false, keyboard: false }));
      if (c.site && c.status === 'existing') {
        groups.sites.addLayer(L.marker(at(c.site), { icon: square, interactive: false, keyboard: false }));
      } else if (c.site) {
        groups.sites.addLayer(L.circleMarker(at(c.site), {
          radius: 5.5, color: '#ffffff', weight: 1.5, fillColor: inks.site, fillOpacity: 1,
          interactive: false
        }));
      }
    });
    data.proposals.forEach(function (p) {
      var marker = L.circleMarker(at(p), {
        radius: 3, stroke: false, fillColor: '#334155', fillOpacity: 0.55
      });
      marker.bindTooltip(function () {
        return '<div class="tip" dir="' + dir + '">' + esc(data.labels.proposal
          .replace('{applicant}', data.applicants[p[2]] || '')
          .replace('{preference}', figure(p[3]))) + '</div>';
      });
      groups.proposals.addLayer(marker);
    });
    var order = ['catchments', 'gaps', 'changes', 'proposals', 'ideal', 'sites'];
    ['catchments', 'gaps', 'changes', 'sites'].forEach(function (name) { groups[name].addTo(map); });
    var whole = groups.catchments.getBounds();
    map.fitBounds(whole, { padding: [10, 10] });
    var scale = L.control.scale({ imperial: false });
    /* The scale bar's figure and unit in the page's language. */
    scale._updateScale = function (element, text, ratio) {
      element.style.width = Math.round(this.options.maxWidth * ratio) + 'px';
      element.dir = dir;
      var m = /^([0-9.]+) (k?m)$/.exec(text);
      element.textContent = m ? figure(m[1]) + ' ' + data.labels[m[2]] : text;
    };
    scale.addTo(map);

    /* Layers shown: those switched on in the legend; ideal centers and proposals only
       where they are few enough to read (a national plan shows them once zoomed in). */
    var wanted = {};
    order.forEach(function (name) { wanted[name] = true; });
    var CROWDED = 300;
    var crowded = function () {
      var view = map.getBounds(), n = 0;
      for (var i = 0; i < data.catchments.length; i++) {
        if (view.contains(at(data.catchments[i].ideal))) { n += 1; }
      }
      return n > CROWDED;
    };
    var refresh = function () {
      var tooMany = crowded();
      var added = false;
      order.forEach(function (name) {
        var show = wanted[name] && !(tooMany && (name === 'ideal' || name === 'proposals'));
        if (show && !map.hasLayer(groups[name])) { groups[name].addTo(map); added = true; }
        if (!show && map.hasLayer(groups[name])) { map.removeLayer(groups[name]); }
      });
      /* A layer added back is drawn on top: restore the drawing order. */
      if (added) {
        order.forEach(function (name) {
          if (map.hasLayer(groups[name])) { groups[name].bringToFront(); }
        });
      }
    };
    Array.prototype.forEach.call(document.querySelectorAll('input[data-layer]'), function (box) {
      var name = box.getAttribute('data-layer');
      if (!groups[name]) { return; }
      box.addEventListener('change', function () {
        wanted[name] = box.checked;
        refresh();
      });
    });
    map.on('zoomend moveend', refresh);
    var reset = document.getElementById('map-reset');
    if (reset) {
      reset.addEventListener('click', function () { map.fitBounds(whole, { padding: [10, 10] }); });
    }

    /* Catchment ids in the tables show the catchment on the map (one listener per
       table, so national plans stay quick to open). */
    ['catchments-table', 'gaps-table', 'changes-table'].forEach(function (tableId) {
      var table = document.getElementById(tableId);
      if (!table) { return; }
      table.classList.add('zoomable');
      table.tBodies[0].addEventListener('click', function (e) {
        var cell = e.target.closest('td');
        if (!cell || cell.cellIndex !== 0) { return; }
        var id = cell.textContent;
        if (!byId[id]) { return; }
        e.preventDefault();
        mapElement.scrollIntoView({ block: 'center' });
        map.fitBounds(byId[id].getBounds(), { maxZoom: 14, padding: [40, 40] });
        byId[id].openPopup();
        select(id, false);
      });
    });
    refresh();
    window.addEventListener('beforeprint', function () {
      map.invalidateSize();
      map.fitBounds(whole, { padding: [10, 10] });
    });
  }
  /* Milliseconds from the start of navigation until the page was built (for the check). */
  if (window.performance && performance.now) {
    body.setAttribute('data-built-ms', String(Math.round(performance.now())));
  }
  body.setAttribute('data-ready', '1');
})();
