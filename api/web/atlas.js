// The web map: one thematic map at a time. MapLibre GL JS draws /tiles/districts with the
// colours of /styles/{id}.json; legend, district values and downloads come from the legend in
// that style's metadata, so the page shows exactly what every other output shows.
import { createMap, maplibregl } from './basemap.js';

const config = JSON.parse(document.getElementById('atlas-config').textContent);
const $ = (id) => document.getElementById(id);
const words = config.words ?? { district: 'Stadtteil', districts: 'Stadtteile' };
const methodNames = {
  quantile: 'Quantile',
  equal_interval: 'gleiche Intervalle',
  jenks: 'natürliche Brüche (Jenks)',
  stddev: 'Standardabweichungen',
  manual: 'feste Grenzen',
  bivariate: 'Bedarf × Zugang (Terzile)',
};
let map = null;
let legend = null;
// For tests and embedding pages: "idle:<style>:<year>:<field>" once the map shows a legend.
window.atlas = { status: 'loading' };

function selectedStyle() {
  return config.styles.find((s) => s.id === $('style').value);
}

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

function fillSelect(select, items, value) {
  select.replaceChildren(...items.map(([v, text]) => new Option(text, v, false, v === value)));
}

function requestQuery() {
  const p = new URLSearchParams();
  if ($('year').value) p.set('year', $('year').value);
  if (selectedStyle().coverage) p.set('field', $('field').value);
  return p.toString();
}

// The gap map's nine classes as readers of bivariate maps expect them: a 3×3 matrix, need rising
// upwards, access to the right, the gap cell (need high, access low) outlined.
function bivariateMatrix() {
  const levels = ['niedrig', 'mittel', 'hoch'];
  const grid = element('div', { class: 'bivariate', role: 'table', 'aria-label': 'Bedarf × Zugang' });
  grid.append(element('span', { class: 'axis need' }, 'Bedarf ↑'));
  for (let need = 3; need >= 1; need--) {
    grid.append(element('span', { class: 'level' }, levels[need - 1]));
    for (let access = 1; access <= 3; access++) {
      const c = legend.classes.find((k) => k.value === `${need}-${access}`);
      const cell = element('span', {
        class: need === 3 && access === 1 ? 'cell gap' : 'cell',
        style: `background:${c?.colour ?? '#fff'}`,
        title: `${c?.label ?? ''}: ${c?.count ?? 0} ${words.districts}`,
        role: 'cell',
      }, String(c?.count ?? 0));
      grid.append(cell);
    }
  }
  grid.append(element('span', {}), ...levels.map((l) => element('span', { class: 'level' }, l)));
  return [grid, element('p', { class: 'axis access' }, 'Zugang →'),
    element('p', { class: 'hint' }, `umrandet: Versorgungslücke (Bedarf hoch, Zugang niedrig); Zahl = ${words.districts}`)];
}

function renderLegend() {
  const box = $('legend');
  const list = element('ul', { class: 'classes' });
  const entry = (colour, label, count) =>
    element('li', {}, element('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' }),
      `${label} (${count})`);
  const bivariate = legend.method === 'bivariate' && legend.classes.length === 9;
  if (!bivariate) for (const c of [...legend.classes].reverse()) list.append(entry(c.colour, c.label, c.count));
  if (legend.suppressed.count > 0) {
    list.append(entry(legend.suppressed.colour, legend.suppressed.label, legend.suppressed.count));
  }
  if (legend.missing.count > 0) list.append(entry(legend.missing.colour, legend.missing.label, legend.missing.count));
  const parts = [
    element('h2', {}, legend.title),
    element('p', { class: 'subtitle' }, legend.subtitle + (legend.unit ? ` · ${legend.unit}` : '')),
    ...(bivariate ? bivariateMatrix() : []),
    list,
    element('p', { class: 'method' }, `Klassen: ${methodNames[legend.method] ?? legend.method}` +
      (legend.fixed_breaks ? ', über alle Jahre gleich' : '')),
  ];
  if (legend.note) parts.push(element('p', { class: 'note' }, legend.note));
  if (legend.data_status === 'modelled') {
    parts.push(element('p', { class: 'modelled' }, 'Modellierte Werte (synthetisch) – keine amtliche Statistik'));
  }
  box.replaceChildren(...parts);
}

// Every download names what it shows (style, field, year), so two maps never share a name.
function renderDownloads(style) {
  const q = requestQuery();
  const stem = [style.id, style.coverage ? $('field').value : '', legend.year].filter(Boolean).join('-');
  const link = (href, text, file) =>
    element('a', { href: `${config.base}${href}?${q}`, download: file }, text);
  $('downloads').replaceChildren(
    element('h2', {}, 'Diese Karte herunterladen'),
    element('p', {}, link(`/maps/${style.id}.png`, 'PNG', `${stem}.png`), ' · ',
      link(`/maps/${style.id}.pdf`, 'PDF', `${stem}.pdf`), ' · ', link(`/maps/${style.id}.svg`, 'SVG', `${stem}.svg`)),
    element('p', {}, 'Stil für ', link(`/styles/${style.id}.qml`, 'QGIS', `${stem}.qml`), ' · ',
      link(`/styles/${style.id}.sld`, 'SLD', `${stem}.sld`), ' · ',
      link(`/styles/${style.id}.json`, 'MapLibre', `${stem}-maplibre.json`), ' · ',
      link(`/api/legend/${style.id}`, 'Legende (JSON)', `${stem}-legende.json`)));
}

// The panel shows the chosen district's value in the map on screen: it follows every change of
// theme, year and field instead of keeping a value of another map.
function showDistrict(id) {
  const d = legend.districts.find((x) => x.id === id);
  if (!d) return;
  const unit = legend.unit && legend.unit !== '%' && d.label ? ` ${legend.unit}` : '';
  const value = d.label ? d.label + unit : d.suppressed ? 'geheim' : legend.missing.label;
  $('district').replaceChildren(element('h2', {}, d.name),
    element('p', { class: 'value' }, value), element('p', { class: 'hint' }, legend.subtitle),
    element('div', { id: 'profile' }, element('p', { class: 'hint' }, 'Profil wird geladen …')));
  window.atlas.district = { id, name: d.name, label: value, year: legend.year };
  $('district-select').value = String(id);
  if (map) map.setFilter('districts-selected', ['==', ['id'], id]);
  updateUrl();
  loadProfile(id, legend);
}

const numberFormat = (v, digits = 1) =>
  new Intl.NumberFormat('de-DE', { maximumFractionDigits: digits }).format(v);
const statusText = { official: 'amtlich', modelled: 'modelliert' };

function valueText(entry) {
  if (entry.suppressed) return 'geheim';
  if (entry.value === null) return 'keine Angabe';
  // Counts of persons need no unit in a table headed by their label; others keep theirs.
  const unit = entry.unit === '%' ? ' %' : entry.unit && entry.unit !== 'Personen' ? ` ${entry.unit}` : '';
  return numberFormat(entry.value, entry.unit === 'Personen' ? 0 : 2) + unit;
}

// The indicator over all its years, the district against the districts' median: an SVG the page
// draws itself (no chart library, nothing from a CDN).
function seriesChart(entry, name) {
  const points = entry.series.filter((p) => p.value !== null || p.median !== null);
  if (points.length < 2) return element('p', { class: 'hint' }, 'Nur ein Jahr: keine Zeitreihe.');
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const W = 280, H = 120, L = 44, R = 8, T = 8, B = 20;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${entry.label}: ${name} und Median der ${words.districts}, ${points[0].year}–${points[points.length - 1].year}`);
  const values = points.flatMap((p) => [p.value, p.median]).filter((v) => v !== null);
  const lo = Math.min(...values), hi = Math.max(...values);
  const span = hi - lo || 1;
  const x = (year) => L + (year - points[0].year) / (points[points.length - 1].year - points[0].year || 1) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / span) * (H - T - B);
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
    return e;
  };
  const line = (key, attrs) => {
    const d = points.filter((p) => p[key] !== null).map((p, i) => `${i ? 'L' : 'M'}${x(p.year).toFixed(1)},${y(p[key]).toFixed(1)}`).join('');
    if (d) add('path', { d, fill: 'none', ...attrs });
  };
  add('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#999' });
  add('text', { x: L - 4, y: y(hi) + 4, 'text-anchor': 'end', 'font-size': 9 }, numberFormat(hi));
  add('text', { x: L - 4, y: y(lo) + 4, 'text-anchor': 'end', 'font-size': 9 }, numberFormat(lo));
  add('text', { x: L, y: H - 6, 'font-size': 9 }, String(points[0].year));
  add('text', { x: W - R, y: H - 6, 'text-anchor': 'end', 'font-size': 9 }, String(points[points.length - 1].year));
  line('median', { stroke: '#888', 'stroke-dasharray': '4 3', 'stroke-width': 1.5 });
  line('value', { stroke: '#24476b', 'stroke-width': 2.2 });
  return element('figure', { class: 'series' }, svg,
    element('figcaption', {}, element('span', { class: 'key district' }), ` ${name} `,
      element('span', { class: 'key median' }), ` Median der ${words.districts}`));
}

let profileRequest = 0;
async function loadProfile(id, shown) {
  const ticket = ++profileRequest;
  const response = await fetch(`${config.base}/api/districts/${id}?year=${shown.year}`);
  const profile = await response.json();
  // A newer click or map change has taken the panel meanwhile.
  if (ticket !== profileRequest || !$('profile')) return;
  if (!response.ok) {
    $('profile').replaceChildren(element('p', { class: 'warning' }, profile.error));
    return;
  }
  const parts = [];
  const current = profile.indicators.find((i) => i.id === shown.indicator);
  if (current) parts.push(element('h3', {}, current.label), seriesChart(current, profile.name));
  const table = element('table', { class: 'profile' },
    element('caption', {}, `Alle Indikatoren ${profile.year}`),
    element('thead', {}, element('tr', {}, element('th', {}, 'Indikator'), element('th', {}, 'Wert'),
      element('th', {}, 'Rang'), element('th', {}, 'Median'))));
  const body = element('tbody');
  for (const i of profile.indicators.filter((k) => k.has_year)) {
    body.append(element('tr', {},
      element('td', {}, i.label, element('span', { class: `status ${i.status}` }, statusText[i.status])),
      element('td', {}, valueText(i)),
      element('td', { title: i.rank ? `Rang ${i.rank} von ${i.ranked} mit Wert` : '' },
        i.rank ? `${i.rank}/${i.ranked}` : '–'),
      element('td', {}, i.median === null ? '–' : valueText({ ...i, value: i.median, suppressed: false }))));
  }
  table.append(body);
  parts.push(element('div', { class: 'table-scroll' }, table));
  if (profile.coverage.length) {
    const cov = element('table', { class: 'profile coverage' },
      element('caption', {}, `Versorgung je Handlungsfeld (${profile.coverage_year})`),
      element('thead', {}, element('tr', {}, element('th', {}, 'Handlungsfeld'), element('th', {}, 'Angebote'),
        element('th', {}, 'je 1.000'), element('th', {}, 'Distanz'), element('th', {}, 'im Radius'),
        element('th', {}, 'Klasse'))));
    const rows = element('tbody');
    for (const c of profile.coverage) {
      const secret = c.withheld ? 'geheim' : null;
      const none = c.no_services ? 'keine Angebote erfasst' : null;
      const [need, access] = (c.gap_class || '').split('-').map(Number);
      const level = ['niedrig', 'mittel', 'hoch'];
      const gapLabel = need && access ? `Bedarf ${level[need - 1]}, Zugang ${level[access - 1]}` : null;
      rows.append(element('tr', { class: c.gap ? 'gap' : '' },
        element('td', {}, c.label), element('td', {}, String(c.services)),
        element('td', {}, secret ?? (c.per_1000 === null ? '–' : numberFormat(c.per_1000, 2))),
        element('td', {}, secret ?? none ?? (c.mean_distance_m === null ? '–' : `${numberFormat(c.mean_distance_m, 0)} m`)),
        element('td', {}, secret ?? none ?? (c.share_within === null ? '–' : `${numberFormat(100 * c.share_within, 0)} %`)),
        element('td', {}, secret ?? (c.gap_class ? (gapLabel ?? c.gap_class) : c.excluded_reason || '–'))));
    }
    cov.append(rows);
    parts.push(element('div', { class: 'table-scroll' }, cov));
  }
  const services = element('ul', { class: 'services' },
    ...profile.services.map((s) => element('li', {}, s.name || s.category,
      s.data_status === 'example' ? element('span', { class: 'example' }, ' (Beispiel, fiktiv)') : '')));
  parts.push(element('details', {}, element('summary', {}, `Einrichtungen (${profile.services.length})`), services));
  $('profile').replaceChildren(...parts);
  window.atlas.profile = { id: profile.id, year: profile.year, rows: profile.indicators.filter((k) => k.has_year).length };
}

// The address names the map on screen (?style=&year=&field=&district=), so it can be sent on.
function updateUrl() {
  const p = new URLSearchParams();
  p.set('style', $('style').value);
  if ($('year').value) p.set('year', $('year').value);
  if (selectedStyle().coverage) p.set('field', $('field').value);
  if (window.atlas.district) p.set('district', window.atlas.district.id);
  if (map) {
    const c = map.getCenter();
    p.set('map', `${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}`);
  }
  // A new map choice is a step back/forward can return to; panning only updates the address.
  const next = `?${p}`;
  const same = (a, b) => ['style', 'year', 'field', 'district'].every((k) =>
    new URLSearchParams(a).get(k) === new URLSearchParams(b).get(k));
  if (firstAddress || same(next, location.search)) history.replaceState(null, '', next);
  else history.pushState(null, '', next);
  firstAddress = false;
}
let firstAddress = true;

function showError(message) {
  $('legend').replaceChildren(element('p', { class: 'warning' }, `Fehler: ${message}`));
  window.atlas.status = `error:${message}`;
}

async function show() {
  const style = selectedStyle();
  window.atlas.status = 'loading';
  const response = await fetch(`${config.base}/styles/${style.id}.json?${requestQuery()}`);
  const body = await response.json();
  if (!response.ok) return showError(body.error);
  legend = body.metadata['atlas:legend'];
  renderLegend();
  if ($('district-select').options.length <= 1) {
    const names = [...legend.districts].sort((a, b) => a.name.localeCompare(b.name, 'de'));
    $('district-select').append(...names.map((d) => new Option(d.name, String(d.id))));
  }
  renderDownloads(style);
  if (window.atlas.district) showDistrict(window.atlas.district.id);
  updateUrl();
  const ready = () => {
    window.atlas.status = `idle:${legend.style}:${legend.year}:${legend.field ?? ''}`;
  };
  if (!map) {
    map = createMap(body, config.bounds);
    if (startView) map.jumpTo(startView);
    map.getCanvas().setAttribute('aria-label', `Karte der ${words.districts}; auch über die Auswahlliste „${words.district}“ wählbar`);
    map.on('load', () => {
      addOverlays(window.atlas.district?.id);
      // The footer carries the full attribution; the map's own stays a button instead of a box
      // over the scale bar and the southern districts.
      map.once('idle', () => {
        const attribution = map.getContainer().querySelector('.maplibregl-ctrl-attrib.maplibregl-compact');
        attribution?.classList.remove('maplibregl-compact-show');
        attribution?.removeAttribute('open');
      });
    });
    map.on('click', 'districts-fill', (e) => showDistrict(e.features[0].id));
    map.on('mousemove', 'districts-fill', (e) => hoverDistrict(e));
    map.on('mouseleave', 'districts-fill', () => hoverDistrict(null));
    map.on('moveend', () => { if (legend) updateUrl(); });
    window.atlas.map = map;
    map.once('idle', ready);
  } else {
    const fill = body.layers.find((l) => l.id === 'districts-fill').paint['fill-color'];
    map.setPaintProperty('districts-fill', 'fill-color', fill);
    map.once('idle', ready);
    map.triggerRepaint();
  }
  window.atlas.legend = legend;
}

let hovered = null;
const tooltip = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'tooltip' });

// Hover outlines the district and names it with its value in the map on screen.
function hoverDistrict(e) {
  const f = e?.features?.[0];
  if (hovered !== null) map.setFeatureState({ source: 'districts', sourceLayer: 'districts', id: hovered }, { hover: false });
  hovered = f ? f.id : null;
  map.getCanvas().style.cursor = f ? 'pointer' : '';
  if (!f) {
    tooltip.remove();
    return;
  }
  map.setFeatureState({ source: 'districts', sourceLayer: 'districts', id: f.id }, { hover: true });
  const d = legend.districts.find((x) => x.id === f.id);
  if (!d) return;
  const unit = legend.unit && d.label ? ` ${legend.unit === '%' ? '' : legend.unit}` : '';
  tooltip.setLngLat(e.lngLat).setText(`${d.name}: ${d.label ? d.label + unit : d.suppressed ? 'geheim' : legend.missing.label}`).addTo(map);
}

// Colours of the Handlungsfelder for the services layer (ColorBrewer Dark2 and Set1).
const fieldColours = ['#1b9e77', '#d95f02', '#7570b3', '#e7298a', '#66a61e', '#e6ab02', '#a6761d', '#e41a1c', '#377eb8'];
const hasField = (id) => ['in', `,${id},`, ['concat', ',', ['get', 'field'], ',']];

function servicesFilter() {
  const chosen = [...document.querySelectorAll('#services-toggle input:checked')].map((i) => i.value);
  return chosen.length ? ['any', ...chosen.map(hasField)] : ['==', ['get', 'field'], '\u0000none'];
}

// The selected district's outline, the hover outline and the services (off until a field is
// ticked, so the choropleth stays readable).
function addOverlays(selected) {
  map.addLayer({ id: 'districts-hover', type: 'line', source: 'districts', 'source-layer': 'districts',
    paint: { 'line-color': '#1a1a1a', 'line-width': ['case', ['boolean', ['feature-state', 'hover'], false], 2, 0] } });
  map.addLayer({ id: 'districts-selected', type: 'line', source: 'districts', 'source-layer': 'districts',
    filter: ['==', ['id'], selected ?? -1], paint: { 'line-color': '#000', 'line-width': 3 } });
  map.addSource('services', { type: 'vector', url: `${config.base}/tiles/services.json` });
  const colour = ['case'];
  config.fields.forEach((f, i) => colour.push(hasField(f.id), fieldColours[i % fieldColours.length]));
  colour.push('#555');
  map.addLayer({ id: 'services', type: 'circle', source: 'services', 'source-layer': 'services',
    filter: servicesFilter(),
    paint: { 'circle-color': colour, 'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 2.5, 15, 6],
      'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } });
  const servicePopup = new maplibregl.Popup({ closeButton: false, className: 'tooltip' });
  map.on('mousemove', 'services', (e) => {
    const p = e.features[0].properties;
    const fields = String(p.field ?? '').split(',').map((id) => config.fields.find((f) => f.id === id)?.label ?? id);
    servicePopup.setLngLat(e.lngLat).setText(`${p.name || p.category} · ${p.category} · ${fields.join(', ')} · ${p.source}` +
      (p.data_status === 'example' ? ' · Beispiel (fiktiv)' : '')).addTo(map);
  });
  map.on('mouseleave', 'services', () => servicePopup.remove());
}

function onStyleChange(wanted = {}) {
  const style = selectedStyle();
  const years = style.years.map(String);
  const year = years.includes(wanted.year) ? wanted.year : years[years.length - 1];
  fillSelect($('year'), years.map((y) => [y, y]).reverse(), year);
  $('year').disabled = years.length < 2;
  $('field').hidden = $('field-label').hidden = !style.coverage;
  if (style.coverage) {
    $('field').value = config.fields.some((f) => f.id === wanted.field) ? wanted.field
      : style.field || config.fields[0].id;
  }
  return show();
}

// A shared link (?style=&year=&field=&district=&map=zoom/lat/lon) opens that map; unknown values
// fall back.
const wanted = Object.fromEntries(new URLSearchParams(location.search));
const view = (wanted.map ?? '').split('/').map(Number);
const startView = view.length === 3 && view.every(Number.isFinite)
  ? { zoom: view[0], center: [view[2], view[1]] } : null;
const startStyle = config.styles.some((s) => s.id === wanted.style) ? wanted.style
  : config.styles.some((s) => s.id === config.defaultStyle) ? config.defaultStyle : config.styles[0]?.id;
if (wanted.district && /^\d+$/.test(wanted.district)) window.atlas.district = { id: Number(wanted.district) };
fillSelect($('style'), config.styles.map((s) => [s.id, s.title]), startStyle);
fillSelect($('field'), config.fields.map((f) => [f.id, f.label]), config.fields[0]?.id);
$('style').addEventListener('change', () => onStyleChange());
$('year').addEventListener('change', show);
$('field').addEventListener('change', show);
// Choosing a district without a mouse: the list names every district.
$('district-select').addEventListener('change', (e) => { if (e.target.value) showDistrict(Number(e.target.value)); });
$('services-toggle').replaceChildren(element('legend', {}, 'Einrichtungen zeigen'),
  ...config.fields.map((f, i) => element('label', { class: 'check' },
    element('input', { type: 'checkbox', value: f.id }),
    element('span', { class: 'symbol', style: `background:${fieldColours[i % fieldColours.length]}` }), ` ${f.label}`)));
$('services-toggle').addEventListener('change', () => map?.getLayer('services') && map.setFilter('services', servicesFilter()));
// Back and forward restore the map they name.
window.addEventListener('popstate', () => {
  const back = Object.fromEntries(new URLSearchParams(location.search));
  if (!config.styles.some((s) => s.id === back.style)) return;
  $('style').value = back.style;
  window.atlas.district = back.district && /^\d+$/.test(back.district) ? { id: Number(back.district) } : undefined;
  if (!window.atlas.district) {
    $('district').replaceChildren(element('p', { class: 'hint' }, `${words.district} anklicken für das Profil.`));
    map?.setFilter('districts-selected', ['==', ['id'], -1]);
  }
  onStyleChange(back);
});
if (config.styles.length) onStyleChange(wanted);
else showError('keine Themenkarten konfiguriert');
