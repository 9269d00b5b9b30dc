// The structure and resource analysis page: offers (inventory) and services (Regelstruktur) of
// one Handlungsfeld on the map with the cooperations between actors, the field × district table,
// the cooperation network drawn by Cytoscape.js, and the editor of the inventory. Everything
// comes from the atlas's own API; fictional example entries are marked wherever they appear.
import { createMap, maplibregl } from './basemap.js';
import cytoscape from './cytoscape.mjs';

const config = JSON.parse(document.getElementById('atlas-config').textContent);
const $ = (id) => document.getElementById(id);
const api = (path) => `${config.base}${path}`;
const EXAMPLE = 'example';
// The languages most asked for in integration work, German names; others by code.
const LANGUAGES = [['de', 'Deutsch'], ['en', 'Englisch'], ['ar', 'Arabisch'], ['uk', 'Ukrainisch'],
  ['ru', 'Russisch'], ['fa', 'Persisch (Farsi/Dari)'], ['ps', 'Paschtu'], ['tr', 'Türkisch'], ['ku', 'Kurdisch'],
  ['ti', 'Tigrinya'], ['so', 'Somali'], ['vi', 'Vietnamesisch'], ['pl', 'Polnisch'], ['ro', 'Rumänisch'],
  ['bg', 'Bulgarisch'], ['sq', 'Albanisch'], ['sr', 'Serbisch'], ['fr', 'Französisch'], ['es', 'Spanisch'],
  ['zh', 'Chinesisch']];
const numberDe = (value, digits = 1) =>
  value === null || value === undefined ? '–'
    : value.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
// For tests: "idle:<field>" once map, table and network show the chosen field.
window.atlas = { status: 'loading' };

let map = null;
let inventory = null;  // /api/inventory
let placing = null;    // {kind: 'new'} or {kind: 'unplaced', entry}
let point = null;      // the clicked position of a new offer
let graph = null;

function element(tag, attributes = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

async function getJson(path) {
  const response = await fetch(api(path));
  const body = await response.json();
  if (!response.ok) throw new Error(body.error);
  return body;
}

function field() { return $('field').value; }
function label(list, id) { return list.find((t) => t.id === id)?.label_de ?? id; }

// ------------------------------------------------------------------ map
function mapStyle() {
  return {
    version: 8,
    sources: {
      districts: { type: 'vector', tiles: [api('/tiles/districts/{z}/{x}/{y}.mvt')], promoteId: undefined },
      services: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      offers: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      cooperations: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
      draft: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f4f1ea' } },
      { id: 'districts-fill', type: 'fill', source: 'districts', 'source-layer': 'districts',
        paint: { 'fill-color': '#ffffff', 'fill-opacity': 0.8 } },
      { id: 'districts-line', type: 'line', source: 'districts', 'source-layer': 'districts',
        paint: { 'line-color': '#8a8a8a', 'line-width': 0.8 } },
      { id: 'cooperations', type: 'line', source: 'cooperations', filter: ['!=', ['get', 'data_status'], EXAMPLE],
        paint: { 'line-color': '#24476b', 'line-width': 1.5, 'line-opacity': 0.7 } },
      { id: 'cooperations-example', type: 'line', source: 'cooperations', filter: ['==', ['get', 'data_status'], EXAMPLE],
        paint: { 'line-color': '#24476b', 'line-width': 1.2, 'line-opacity': 0.6, 'line-dasharray': [2, 2] } },
      { id: 'services', type: 'circle', source: 'services',
        paint: { 'circle-radius': 3, 'circle-color': '#7a7a7a', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 0.5 } },
      // Real offers filled, fictional ones hollow: the two never look alike.
      { id: 'offers', type: 'circle', source: 'offers', filter: ['!=', ['get', 'data_status'], EXAMPLE],
        paint: { 'circle-radius': 6, 'circle-color': '#c2410c', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1.5 } },
      { id: 'offers-example', type: 'circle', source: 'offers', filter: ['==', ['get', 'data_status'], EXAMPLE],
        paint: { 'circle-radius': 5, 'circle-color': '#ffffff', 'circle-stroke-color': '#c2410c', 'circle-stroke-width': 2 } },
      { id: 'draft', type: 'circle', source: 'draft',
        paint: { 'circle-radius': 8, 'circle-color': '#16a34a', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } },
    ],
  };
}

function inField(feature) {
  return (feature.properties.field ?? '').split(',').includes(field());
}

async function loadLayers() {
  const [services, offers, cooperations] = await Promise.all([
    getJson('/ogc/collections/services/items?limit=10000'),
    getJson('/ogc/collections/offers/items?limit=10000'),
    getJson('/ogc/collections/cooperations/items?limit=10000'),
  ]);
  // The services collection holds the inventory's placed offers too; the map shows those once.
  services.features = services.features.filter((f) => f.properties.category !== 'inventar' && inField(f));
  offers.features = offers.features.filter(inField);
  const active = new Set(offers.features.map((f) => f.properties.actor_id));
  cooperations.features = cooperations.features.filter(
    (f) => active.has(f.properties.actor_a) || active.has(f.properties.actor_b));
  map.getSource('services').setData(services);
  map.getSource('offers').setData(offers);
  map.getSource('cooperations').setData(cooperations);
  window.atlas.offers = offers.features.map((f) => f.properties.offer_id);
  return offers.features.length;
}

function popup(feature, lngLat) {
  const p = feature.properties;
  const lines = [element('strong', {}, p.title ?? p.name)];
  if (p.actor) lines.push(element('div', {}, p.actor));
  if (p.languages) lines.push(element('div', {}, `Sprachen: ${p.languages}`));
  if (p.funding) lines.push(element('div', {}, `Förderung: ${p.funding}`));
  lines.push(element('div', { class: p.data_status === EXAMPLE ? 'example' : 'hint' },
    p.data_status_label ?? p.source ?? ''));
  new maplibregl.Popup().setLngLat(lngLat).setDOMContent(element('div', {}, ...lines)).addTo(map);
}

function mapLegend() {
  const item = (cls, text) => element('li', {}, element('span', { class: `symbol ${cls}`, 'aria-hidden': 'true' }), text);
  return element('ul', { class: 'classes map-legend' },
    item('offer', 'Angebot (Inventar)'),
    item('offer-example', 'Beispielangebot (fiktiv)'),
    item('service', 'Einrichtung (Regelstruktur, OSM)'),
    item('cooperation', 'Kooperation (gestrichelt: fiktiv)'));
}

// ------------------------------------------------------------------ overview
async function renderOverview() {
  const [structure, coverage] = await Promise.all([
    getJson(`/api/structure/${field()}`), getJson(`/api/coverage/${field()}`)]);
  const gap = new Map(coverage.districts.map((d) => [d.district_id, d]));
  const rows = structure.districts.map((d) => {
    const c = gap.get(d.district_id);
    return element('tr', { 'data-district': d.district },
      element('th', { scope: 'row' }, d.district),
      element('td', {}, String(d.offers) + (d.example_offers ? ` (${d.example_offers} fiktiv)` : '')),
      element('td', {}, numberDe(d.offers_per_1000, 2)),
      element('td', {}, String(c?.services ?? '–')),
      element('td', {}, c?.gap ? 'ja' : c?.gap_class ? 'nein' : '–'),
      element('td', {}, d.languages.join(' ')));
  });
  const table = element('table', { id: 'district-table' },
    element('thead', {}, element('tr', {}, ...['Stadtteil', 'Angebote', 'je 1.000', 'Standorte', 'Lücke', 'Sprachen']
      .map((h) => element('th', { scope: 'col' }, h)))),
    element('tbody', {}, ...rows));
  const facts = [
    `${structure.offers} Angebote von ${structure.actors} Trägern`,
    `davon ${structure.citywide} stadtweit, ${structure.mobile} mobil, ${structure.unplaced} nicht verortet`,
    `je 1.000 der Zielgruppe: ${numberDe(structure.offers_per_1000, 2)}`,
    `Personal: ${numberDe(structure.staff_fte, 1)} VZÄ`,
  ];
  const risky = structure.at_risk.map((r) => element('li', { class: r.data_status === EXAMPLE ? 'example' : '' },
    `${r.title} (${r.actor}) – Förderung bis ${r.funding_until}`));
  const counts = (object) => Object.entries(object).map(([k, v]) => `${k}: ${v}`).join(' · ') || '–';
  $('overview').replaceChildren(
    mapLegend(),
    element('h2', {}, structure.label_de),
    ...(structure.data_note ? [element('p', { class: 'example' }, structure.data_note)] : []),
    element('ul', {}, ...facts.map((f) => element('li', {}, f))),
    element('p', {}, `Trägerarten: ${counts(structure.by_actor_kind)}`),
    element('p', {}, `Förderung: ${counts(structure.by_funding)}`),
    element('p', {}, `Sprachen: ${counts(structure.languages)}`),
    element('h2', {}, `Ressourcen gefährdet (alle Förderungen enden bis ${structure.risk_until})`),
    risky.length ? element('ul', {}, ...risky) : element('p', { class: 'hint' }, 'keine'),
    element('h2', {}, 'Stadtteile'),
    element('p', { class: 'hint' }, `Standorte und Lücke: Versorgungsanalyse (Inventar und Regelstruktur), ${coverage.method?.target_group ?? ''}`),
    table);
}

// ------------------------------------------------------------------ network
async function renderNetwork() {
  const network = await getJson('/api/network');
  const inFieldActors = new Set(network.actors.filter((a) => a.fields.includes(field())).map((a) => a.id));
  const elements = [];
  // The graph shows ties; actors without any are listed below it instead of as a row of dots.
  for (const a of network.actors) {
    if (a.degree === 0) continue;
    elements.push({ data: { id: a.id, label: a.name, kind: a.kind, example: a.data_status === EXAMPLE ? 1 : 0,
      active: inFieldActors.has(a.id) ? 1 : 0, size: 14 + 6 * a.degree } });
  }
  const shown = new Set(elements.map((e) => e.data.id));
  for (const c of network.cooperations) {
    if (shown.has(c.source) && shown.has(c.target)) {
      elements.push({ data: { id: `e-${c.id}`, source: c.source, target: c.target, example: c.data_status === EXAMPLE ? 1 : 0 } });
    }
  }
  if (graph) graph.destroy();
  graph = cytoscape({
    container: $('graph'),
    elements,
    layout: { name: 'cose', animate: false, randomize: false },
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 7, 'text-wrap': 'ellipsis', 'text-max-width': 80,
        width: 'data(size)', height: 'data(size)', 'background-color': '#9ca3af', 'border-width': 1, 'border-color': '#ffffff' } },
      { selector: 'node[active = 1]', style: { 'background-color': '#c2410c' } },
      { selector: 'node[example = 1]', style: { 'border-style': 'dashed', 'border-width': 2, 'border-color': '#1a1a1a' } },
      { selector: 'edge', style: { width: 1.5, 'line-color': '#24476b', opacity: 0.7 } },
      { selector: 'edge[example = 1]', style: { 'line-style': 'dashed' } },
    ],
  });
  const synergies = network.synergy_candidates.filter((s) => s.fields.includes(field()));
  const bridges = network.actors.filter((a) => a.bridged_fields.length > 0);
  const isolated = network.actors.filter((a) => a.isolated && inFieldActors.has(a.id));
  $('network-text').replaceChildren(
    ...(network.data_note ? [element('p', { class: 'example' }, network.data_note)] : []),
    element('p', { class: 'hint' }, 'Knoten: Akteure mit Kooperationen (orange: im gewählten Handlungsfeld aktiv, gestrichelt: fiktiv), Größe nach Zahl der Partner; Linien: Kooperationen.'),
    element('p', {}, `${network.edges} Kooperationsbeziehungen, ${network.components} Komponenten (größte: ${network.component_sizes[0] ?? 0} Akteure)`),
    element('h2', {}, `Synergiekandidaten (${synergies.length})`),
    element('ul', { id: 'synergies' }, ...synergies.slice(0, 30).map((s) => element('li', {},
      `${s.actor_a_name} + ${s.actor_b_name} (${s.districts.join(', ')})`))),
    element('h2', {}, `Ohne Kooperation im Feld (${isolated.length})`),
    element('ul', {}, ...isolated.map((a) => element('li', {}, a.name))),
    element('h2', {}, `Brückenakteure (${bridges.length})`),
    element('ul', {}, ...bridges.slice(0, 20).map((a) => element('li', {}, `${a.name}: ${a.bridged_fields.join(', ').replaceAll('|', ' ↔ ')}`))));
  window.atlas.graphNodes = graph.nodes().length;
}

// ------------------------------------------------------------------ editor
function fillEditor() {
  const v = inventory.vocabulary;
  const options = (select, list) => select.replaceChildren(...list.map((t) => new Option(t.label_de, t.id)));
  $('actor').replaceChildren(new Option('– neuer Träger –', ''),
    ...inventory.actors.filter((a) => a.data_status !== EXAMPLE).map((a) => new Option(a.name, a.id)));
  options($('actor-kind'), v.actor_kinds);
  options($('unit'), v.capacity_units);
  $('funding').replaceChildren(new Option('– keine Angabe –', ''), ...v.funding_sources.map((t) => new Option(t.label_de, t.id)));
  const boxes = (fieldset, list, name) => fieldset.replaceChildren(fieldset.firstElementChild, ...list.map((t) =>
    element('label', { class: 'check' }, element('input', { type: 'checkbox', name, value: t.id }), t.label_de)));
  boxes($('fields'), v.fields, 'fields');
  boxes($('groups'), v.target_groups, 'groups');
  boxes($('languages'), LANGUAGES.map(([id, name]) => ({ id, label_de: `${name} (${id})` })), 'languages');
  document.querySelector('input[name="languages"][value="de"]').checked = true;
  $('district').replaceChildren(...config.districts.map((d) => new Option(d.name, d.key)));
  const unplaced = inventory.offers.filter((o) => o.place === 'unplaced');
  $('unplaced').replaceChildren(...unplaced.map((o) => element('li', {},
    element('span', {}, `${o.actor ?? ''}: ${o.title}`), ' ',
    button('Platzieren', () => startPlacing({ kind: 'unplaced', entry: o })))));
}

function button(text, onclick) {
  const b = element('button', { type: 'button' }, text);
  b.addEventListener('click', onclick);
  return b;
}

function startPlacing(what) {
  placing = what;
  map.getCanvas().style.cursor = 'crosshair';
  message(what.kind === 'unplaced' ? `In die Karte klicken, um „${what.entry.title}“ zu verorten.` : '', false);
}

function message(text, error) {
  $('form-message').textContent = text;
  $('form-message').className = error ? 'warning' : 'hint';
}

function checked(name) {
  return [...document.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}

async function send(method, path, body) {
  const token = $('token').value.trim();
  sessionStorage.setItem('atlas-token', token);
  const response = await fetch(api(path), {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) {
    window.atlas.refusedField = answer.field;
    throw new Error(answer.error);
  }
  return answer;
}

async function saveOffer(event) {
  event.preventDefault();
  message('Speichern …', false);
  try {
    let actorId = $('actor').value;
    if (!actorId) {
      const created = await send('POST', '/api/inventory/actors', { name: $('actor-name').value.trim(), kind: $('actor-kind').value });
      actorId = created.id;
      // The actor exists now: a corrected second attempt must not create it again.
      $('actor').append(new Option(created.entry?.name ?? actorId, actorId));
      $('actor').value = actorId;
      $('new-actor').hidden = true;
    }
    const offer = {
      actor_id: actorId,
      title: $('title').value.trim(),
      fields: checked('fields'),
      target_groups: checked('groups'),
      languages: [...new Set([...checked('languages'),
        ...$('more-languages').value.split(/[\s,;]+/).filter(Boolean).map((l) => l.toLowerCase())])],
      place: $('place').value,
    };
    if (offer.place === 'point') {
      if (!point) throw new Error('Bitte den Standort in die Karte klicken.');
      offer.location = point;
    }
    if (offer.place === 'district') offer.district = $('district').value;
    if ($('capacity').value !== '') {
      offer.capacity = Number($('capacity').value);
      offer.capacity_unit = $('unit').value;
    }
    if ($('funding').value) offer.funding = [{ source: $('funding').value, until: $('funding-until').value }];
    if ($('staff').value !== '') offer.staff_fte = Number($('staff').value);
    const saved = await send('POST', '/api/inventory/offers', offer);
    message(`Gespeichert: ${saved.entry?.title ?? saved.id} (Version ${saved.version}).`, false);
    window.atlas.saved = saved.id;
    point = null;
    map.getSource('draft').setData({ type: 'FeatureCollection', features: [] });
    await refresh();
  } catch (error) {
    message(`Nicht gespeichert: ${error.message}`, true);
  }
}

async function placeUnplaced(entry, lngLat) {
  const { id, place, location, ...rest } = entry;
  const stored = Object.fromEntries(Object.entries(rest).filter(([k]) =>
    ['actor_id', 'title', 'fields', 'target_groups', 'languages', 'district', 'address', 'capacity', 'capacity_unit',
      'valid_from', 'valid_to', 'funding', 'staff_fte', 'data_status', 'source'].includes(k)));
  try {
    await send('PUT', `/api/inventory/offers/${id}`, { ...stored, place: 'point', location: { lon: lngLat.lng, lat: lngLat.lat } });
    message(`„${entry.title}“ ist verortet.`, false);
    await refresh();
  } catch (error) {
    message(`Nicht verortet: ${error.message}`, true);
  }
}

function onMapClick(e) {
  if (placing?.kind === 'unplaced') {
    const entry = placing.entry;
    placing = null;
    map.getCanvas().style.cursor = '';
    placeUnplaced(entry, e.lngLat);
    return;
  }
  if (!$('editor').hidden && $('place').value === 'point') {
    point = { lon: Number(e.lngLat.lng.toFixed(6)), lat: Number(e.lngLat.lat.toFixed(6)) };
    map.getSource('draft').setData({ type: 'Feature', geometry: { type: 'Point', coordinates: [point.lon, point.lat] }, properties: {} });
    $('point-text').textContent = `Standort: ${numberDe(point.lat, 5)} N, ${numberDe(point.lon, 5)} O`;
    return;
  }
  const hit = map.queryRenderedFeatures(e.point, { layers: ['offers', 'offers-example', 'services'] })[0];
  if (hit) popup(hit, e.lngLat);
}

// ------------------------------------------------------------------ page
function selectTab(id) {
  for (const tab of ['overview', 'network', 'editor']) {
    $(tab).hidden = tab !== id;
    $(`tab-${tab}`).setAttribute('aria-selected', String(tab === id));
  }
  if (id === 'network' && graph) graph.resize(), graph.fit();
}

async function refresh() {
  window.atlas.status = 'loading';
  try {
    inventory = await getJson('/api/inventory');
    fillEditor();
    const shown = await loadLayers();
    await Promise.all([renderOverview(), renderNetwork()]);
    window.atlas.status = `idle:${field()}:${shown}`;
  } catch (error) {
    $('overview').replaceChildren(element('p', { class: 'warning' }, `Fehler: ${error.message}`));
    window.atlas.status = `error:${error.message}`;
  }
}

$('field').replaceChildren(...config.fields.map((f) => new Option(f.label, f.id)));
$('field').addEventListener('change', refresh);
for (const tab of ['overview', 'network', 'editor']) $(`tab-${tab}`).addEventListener('click', () => selectTab(tab));
$('place').addEventListener('change', () => {
  $('district').hidden = $('place').value !== 'district';
  $('point-text').hidden = $('place').value !== 'point';
});
$('actor').addEventListener('change', () => { $('new-actor').hidden = $('actor').value !== ''; });
$('offer-form').addEventListener('submit', saveOffer);
$('token').value = sessionStorage.getItem('atlas-token') ?? '';
if (!config.editable) {
  $('offer-form').replaceChildren(element('p', { class: 'hint' },
    'Dieser Server nimmt keine Änderungen an (keine [[server.update_tokens]] in der Konfiguration).'));
}

map = createMap(mapStyle(), config.bounds, 'Inventar: Quellen je Eintrag; Beispieldaten fiktiv');
map.on('click', onMapClick);
window.atlas.map = map;
map.on('load', refresh);
