// The structure analysis page in headless Chromium (playwright-core, Debian's /usr/bin/chromium):
// starts `atlas serve` with a temporary copy of the Erfurt config that accepts edits, opens
// /struktur, and checks that it is German, labels the fictional examples, draws the network, and
// that an offer added through the editor (a click on the map places it) appears on the map, in
// the district table and in the coverage of its Handlungsfeld.
// Usage: node tests/web/structure_page.mjs path/to/atlas
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, failures, launchChromium, startServer, watch } from './support.mjs';

const atlas = process.argv[2];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const token = 'struktur-test-token-0123456789';

// The shipped config with absolute paths, plus a token, in a folder of its own (the edits'
// version store lands there, never in shapes/).
function editableConfig(dir) {
  let config = fs.readFileSync(path.join(root, 'shapes/erfurt/atlas.toml'), 'utf8');
  for (const file of ['stadtteile.geojson', 'einwohner_amtlich.csv', 'auslaender_amtlich.csv',
    'modell_indikatoren.csv', 'dienste_osm.geojson', 'inventar.json', 'inventar_beispiel.json',
    'zensus2011_gitter.csv', 'haltestellen.csv']) {
    config = config.replaceAll(`"${file}"`, JSON.stringify(path.join(root, 'shapes/erfurt', file)));
  }
  config = config.replace('"../../styles"', JSON.stringify(path.join(root, 'styles')));
  config += '\n[server]\n[[server.update_tokens]]\nname = "integrationsbuero"\nenv = "ATLAS_WEB_TEST_TOKEN"\n';
  const file = path.join(dir, 'atlas.toml');
  fs.writeFileSync(file, config);
  return file;
}

async function waitFor(page, prefix) {
  await page.waitForFunction((s) => window.atlas?.status?.startsWith(s), prefix, { timeout: 60000 });
}

async function districtRow(page, name) {
  return page.$eval(`#district-table tr[data-district="${name}"]`,
    (tr) => [...tr.children].map((td) => td.textContent));
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlas-struktur-'));
const { server, origin } = await startServer(atlas, ['--config', editableConfig(dir)],
  { ATLAS_WEB_TEST_TOKEN: token, ATLAS_WEB_ROOT: root });
let browser;
try {
  browser = await launchChromium({ width: 1280, height: 900 });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const { foreign, errors } = watch(page, origin);

  await page.goto(`${origin}/struktur`);
  await waitFor(page, 'idle:sprache:');
  check(await page.getAttribute('html', 'lang') === 'de', 'the page is German (lang="de")');
  check((await page.textContent('.example-banner')).includes('Beispieldaten (fiktiv)'),
    'the banner says the examples are fictional');
  check((await page.textContent('#overview')).includes('Beispielangebot (fiktiv)'),
    'the map legend tells fictional offers apart');
  check(await page.evaluate(() => window.atlas.graphNodes) > 5, 'the network graph has actors');

  await page.selectOption('#field', 'wohnen');
  await waitFor(page, 'idle:wohnen:');
  const before = await districtRow(page, 'Altstadt');
  const offersBefore = await page.evaluate(() => window.atlas.offers.length);
  const coverageBefore = await (await fetch(`${origin}/api/coverage/wohnen`)).json();
  const altstadtServices = coverageBefore.districts.find((d) => d.district === 'Altstadt').services;

  await page.click('#tab-editor');
  await page.fill('#token', token);
  await page.fill('#actor-name', 'Wohnberatung Fischmarkt e.V.');
  await page.selectOption('#actor-kind', 'verein');
  await page.fill('#title', 'Mietsprechstunde auf Arabisch');
  // First without a Handlungsfeld: the server's validation message is shown.
  const lonLat = [11.0290, 50.9780];  // Fischmarkt, Altstadt
  const at = await page.evaluate((p) => window.atlas.map.project(p), lonLat);
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + at.x, box.y + at.y);
  check((await page.textContent('#point-text')).includes('50,97'), 'a click on the map sets the position');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('form-message').textContent.startsWith('Nicht'));
  const refused = await page.textContent('#form-message');
  check(refused.includes('Handlungsfeld') && await page.evaluate(() => window.atlas.refusedField) === 'fields',
    `a missing Handlungsfeld is refused and named: ${refused}`);

  await page.check('input[name="fields"][value="wohnen"]');
  await page.check('input[name="groups"][value="gefluechtete"]');
  await page.check('input[name="languages"][value="ar"]');
  await page.fill('#capacity', '120');
  await page.selectOption('#unit', 'beratungen_jahr');
  // The refused attempt created the actor; the form now has it selected.
  check(await page.inputValue('#actor') === 'wohnberatung-fischmarkt-e-v', 'the new actor stays selected');
  await page.evaluate(() => { window.atlas.status = 'saving'; });
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('form-message').textContent.startsWith('Gespeichert')
    || document.getElementById('form-message').textContent.startsWith('Nicht'), null, { timeout: 30000 });
  const saved = await page.textContent('#form-message');
  check(saved.startsWith('Gespeichert'), `the editor saves the offer: ${saved}`);
  await waitFor(page, 'idle:wohnen:');

  const savedId = await page.evaluate(() => window.atlas.saved);
  const offersAfter = await page.evaluate(() => window.atlas.offers);
  check(offersAfter.includes(savedId) && offersAfter.length === offersBefore + 1,
    'the new offer is one more point on the map');
  const drawnAt = (p) => {
    const { map } = window.atlas;
    const q = map.project(p);
    return map.queryRenderedFeatures([[q.x - 4, q.y - 4], [q.x + 4, q.y + 4]], { layers: ['offers'] })
      .map((f) => f.properties.offer_id);
  };
  await page.waitForFunction(([f, p, id]) => new Function(`return (${f})`)()(p).includes(id),
    [drawnAt.toString(), lonLat, savedId], { timeout: 15000 }).catch(() => {});
  const drawn = await page.evaluate(([f, p]) => new Function(`return (${f})`)()(p), [drawnAt.toString(), lonLat]);
  check(drawn.includes(savedId), `the map draws it where it was clicked (${drawn})`);
  await page.click('#tab-overview');
  const after = await districtRow(page, 'Altstadt');
  check(Number(after[1].split(' ')[0]) === Number(before[1].split(' ')[0]) + 1,
    `the district table counts it in Altstadt (${before[1]} -> ${after[1]})`);
  check(Number(after[3]) === altstadtServices + 1,
    `the coverage table has one more location in Altstadt (${altstadtServices} -> ${after[3]})`);
  check(after[5].includes('ar'), 'its language appears in the district row');
  const coverageAfter = await (await fetch(`${origin}/api/coverage/wohnen`)).json();
  check(coverageAfter.services === coverageBefore.services + 1, '/api/coverage/wohnen counts it');

  // A sourced entry without a position is placed with a click: it leaves the list and appears
  // on the map of its field.
  await page.selectOption('#field', 'teilhabe');
  await waitFor(page, 'idle:teilhabe:');
  await page.click('#tab-editor');
  const unplacedBefore = await page.$$eval('#unplaced li', (lis) => lis.length);
  const zim = page.locator('#unplaced li', { hasText: 'Zentrum für Integration und Migration' });
  await zim.locator('button').click();
  const shownBefore = await page.evaluate(() => window.atlas.offers.length);
  const spot = await page.evaluate(() => window.atlas.map.project([11.0405, 50.9875]));
  await page.evaluate(() => { window.atlas.status = 'placing'; });
  await page.mouse.click(box.x + spot.x, box.y + spot.y);
  await waitFor(page, 'idle:teilhabe:');
  const unplacedAfter = await page.$$eval('#unplaced li', (lis) => lis.length);
  check(unplacedAfter === unplacedBefore - 1, `the placed entry leaves the list (${unplacedBefore} -> ${unplacedAfter})`);
  check(await page.evaluate(() => window.atlas.offers.length) === shownBefore + 1,
    'and is one more offer on the Teilhabe map');

  check(foreign.length === 0, `no request leaves the server ${JSON.stringify(foreign.slice(0, 3))}`);
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
  if (process.env.ATLAS_SCREENSHOT) {
    await page.click('#tab-network');
    await page.screenshot({ path: process.env.ATLAS_SCREENSHOT });
  }
} catch (e) {
  failures.push(String(e.stack ?? e));
  console.log(`FAIL ${e.stack ?? e}`);
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(failures.length ? 1 : 0);
