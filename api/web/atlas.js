// The web map: one thematic map at a time. MapLibre GL JS draws /tiles/districts with the
// colours of /styles/{id}.json; legend, district values and downloads come from the legend in
// that style's metadata, so the page shows exactly what every other output shows.
import { createMap } from './basemap.js';

const config = JSON.parse(document.getElementById('atlas-config').textContent);
const $ = (id) => document.getElementById(id);
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

function renderLegend() {
  const box = $('legend');
  const list = element('ul', { class: 'classes' });
  const entry = (colour, label, count) =>
    element('li', {}, element('span', { class: 'swatch', style: `background:${colour}`, 'aria-hidden': 'true' }),
      `${label} (${count})`);
  for (const c of [...legend.classes].reverse()) list.append(entry(c.colour, c.label, c.count));
  if (legend.suppressed.count > 0) {
    list.append(entry(legend.suppressed.colour, legend.suppressed.label, legend.suppressed.count));
  }
  if (legend.missing.count > 0) list.append(entry(legend.missing.colour, legend.missing.label, legend.missing.count));
  const parts = [
    element('h2', {}, legend.title),
    element('p', { class: 'subtitle' }, legend.subtitle + (legend.unit ? ` · ${legend.unit}` : '')),
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
  const value = d.label ? d.label + unit : legend.missing.label;
  $('district').replaceChildren(element('h2', {}, d.name),
    element('p', {}, value), element('p', { class: 'hint' }, legend.subtitle));
  window.atlas.district = { id, name: d.name, label: value, year: legend.year };
  updateUrl();
}

// The address names the map on screen (?style=&year=&field=&district=), so it can be sent on.
function updateUrl() {
  const p = new URLSearchParams();
  p.set('style', $('style').value);
  if ($('year').value) p.set('year', $('year').value);
  if (selectedStyle().coverage) p.set('field', $('field').value);
  if (window.atlas.district) p.set('district', window.atlas.district.id);
  history.replaceState(null, '', `?${p}`);
}

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
  renderDownloads(style);
  if (window.atlas.district) showDistrict(window.atlas.district.id);
  updateUrl();
  const ready = () => {
    window.atlas.status = `idle:${legend.style}:${legend.year}:${legend.field ?? ''}`;
  };
  if (!map) {
    map = createMap(body, config.bounds);
    map.on('click', 'districts-fill', (e) => showDistrict(e.features[0].id));
    map.on('mouseenter', 'districts-fill', () => { map.getCanvas().style.cursor = 'pointer'; });
    map.on('mouseleave', 'districts-fill', () => { map.getCanvas().style.cursor = ''; });
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

// A shared link (?style=&year=&field=&district=) opens that map; unknown values fall back.
const wanted = Object.fromEntries(new URLSearchParams(location.search));
const startStyle = config.styles.some((s) => s.id === wanted.style) ? wanted.style
  : config.styles.some((s) => s.id === config.defaultStyle) ? config.defaultStyle : config.styles[0]?.id;
if (wanted.district && /^\d+$/.test(wanted.district)) window.atlas.district = { id: Number(wanted.district) };
fillSelect($('style'), config.styles.map((s) => [s.id, s.title]), startStyle);
fillSelect($('field'), config.fields.map((f) => [f.id, f.label]), config.fields[0]?.id);
$('style').addEventListener('change', () => onStyleChange());
$('year').addEventListener('change', show);
$('field').addEventListener('change', show);
if (config.styles.length) onStyleChange(wanted);
else showError('keine Themenkarten konfiguriert');
