// The web map in headless Chromium (playwright-core, Debian's /usr/bin/chromium): starts
// `atlas serve` on a free loopback port, opens the page and checks that it is German, never
// leaves the server, and that the map's pixels carry the legend colours of their districts, for
// a first map, another year and the bivariate gap map of a chosen Handlungsfeld.
// Usage: node tests/web/map_page.mjs path/to/atlas
import { check, failures, launchChromium, startServer, watch } from './support.mjs';

const atlas = process.argv[2];

// Samples the canvas on a grid; where a district is drawn with the same feature 3 px around, its
// pixel must be its legend colour at the layer's opacity over the white background.
async function checkPixels(page, label) {
  const result = await page.evaluate(() => {
    const { map, legend } = window.atlas;
    const canvas = map.getCanvas();
    const copy = document.createElement('canvas');
    copy.width = canvas.width;
    copy.height = canvas.height;
    const ctx = copy.getContext('2d');
    ctx.drawImage(canvas, 0, 0);
    const ratio = canvas.width / canvas.clientWidth;
    const opacity = map.getPaintProperty('districts-fill', 'fill-opacity');
    const idAt = (x, y) => map.queryRenderedFeatures([x, y], { layers: ['districts-fill'] })[0]?.id;
    const expectedColour = (id) => {
      const d = legend.districts.find((x) => x.id === id);
      const hex = d.class !== null ? legend.classes[d.class].colour
        : d.suppressed ? legend.suppressed.colour : legend.missing.colour;
      return [1, 3, 5].map((i) => Math.round(parseInt(hex.slice(i, i + 2), 16) * opacity + 255 * (1 - opacity)));
    };
    let checked = 0;
    const mismatches = [];
    const districts = new Set();
    for (let y = 10; y < canvas.clientHeight - 10; y += 12) {
      for (let x = 10; x < canvas.clientWidth - 10; x += 12) {
        const id = idAt(x, y);
        if (id === undefined) continue;
        if ([[-3, -3], [3, -3], [-3, 3], [3, 3]].some(([dx, dy]) => idAt(x + dx, y + dy) !== id)) continue;
        const px = ctx.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
        const want = expectedColour(id);
        checked++;
        districts.add(id);
        if (want.some((v, i) => Math.abs(v - px[i]) > 3)) mismatches.push({ x, y, id, want, got: [...px.slice(0, 3)] });
      }
    }
    return { checked, districts: districts.size, mismatches: mismatches.slice(0, 5), mismatchCount: mismatches.length };
  });
  check(result.checked >= 100 && result.districts >= 20,
    `${label}: ${result.checked} pixels in ${result.districts} districts sampled`);
  check(result.mismatchCount === 0, `${label}: every sampled pixel has its district's legend colour ${JSON.stringify(result.mismatches)}`);
}

async function waitFor(page, status) {
  await page.waitForFunction((s) => window.atlas?.status === s, status, { timeout: 30000 });
}

const { server, origin } = await startServer(atlas);
let browser;
try {
  browser = await launchChromium({ width: 1100, height: 750 });
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  const { foreign, errors } = watch(page, origin);

  await page.goto(`${origin}/`);
  await waitFor(page, 'idle:auslaender_anteil:2024:');
  check(await page.getAttribute('html', 'lang') === 'de', 'the page is German (lang="de")');
  const legendText = await page.textContent('#legend');
  check(legendText.includes('Ausländeranteil') && /\d,\d %/.test(legendText),
    'the legend is German with decimal comma and percent');
  check(legendText.includes('keine amtliche Statistik'), 'the legend says the values are modelled');
  const served = await (await fetch(`${origin}/api/legend/auslaender_anteil`)).json();
  const items = await page.$$eval('#legend .classes li', (lis) => lis.map((li) => li.textContent));
  check(items.length === served.classes.length + (served.missing.count > 0 ? 1 : 0) +
    (served.suppressed.count > 0 ? 1 : 0) &&
    items[0].startsWith(served.classes[served.classes.length - 1].label),
    'the legend lists the classes of /api/legend, highest first');
  check((await page.textContent('footer')).includes('OpenStreetMap'), 'the attribution is shown');
  await checkPixels(page, 'Ausländeranteil 2024');

  await page.selectOption('#year', '2019');
  await waitFor(page, 'idle:auslaender_anteil:2019:');
  const counts2019 = await page.evaluate(() => window.atlas.legend.classes.map((c) => c.count));
  const served2019 = await (await fetch(`${origin}/api/legend/auslaender_anteil?year=2019`)).json();
  check(JSON.stringify(counts2019) === JSON.stringify(served2019.classes.map((c) => c.count)),
    'after choosing 2019 the legend counts are those of 2019');
  await checkPixels(page, 'Ausländeranteil 2019');

  await page.selectOption('#style', 'versorgungsluecke');
  check(await page.isVisible('#field'), 'a coverage map offers the Handlungsfeld');
  await waitFor(page, 'idle:versorgungsluecke:2024:bildung');
  await page.selectOption('#field', 'kultur-sport');
  await waitFor(page, 'idle:versorgungsluecke:2024:kultur-sport');
  await checkPixels(page, 'Versorgungslücken Kultur/Sport');

  // Clicking a district names it with its value.
  const target = await page.evaluate(() => {
    const { map } = window.atlas;
    const c = map.getCanvas();
    for (let y = 100; y < c.clientHeight; y += 20) {
      for (let x = 100; x < c.clientWidth; x += 20) {
        const f = map.queryRenderedFeatures([x, y], { layers: ['districts-fill'] })[0];
        if (f) return { x, y, id: f.id };
      }
    }
    return null;
  });
  const box = await page.locator('#map canvas').boundingBox();
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForFunction(() => window.atlas.district, null, { timeout: 5000 });
  const clicked = await page.evaluate(() => window.atlas.district);
  check(clicked.id === target.id && (await page.textContent('#district')).includes(clicked.name),
    `clicking shows the district (${clicked.name}: ${clicked.label})`);

  // The profile: every indicator of the year, a series chart, coverage per Handlungsfeld.
  await page.waitForFunction((id) => window.atlas.profile?.id === id, clicked.id, { timeout: 10000 });
  const profileRows = await page.$$eval('#profile table.profile:not(.coverage) tbody tr', (trs) => trs.length);
  const apiProfile = await (await fetch(`${origin}/api/districts/${clicked.id}?year=2024`)).json();
  check(profileRows === apiProfile.indicators.filter((i) => i.has_year).length && profileRows > 10,
    `the profile lists every indicator of 2024 (${profileRows} rows)`);
  const coverageRows = await page.$$eval('#profile table.coverage tbody tr', (trs) => trs.map((t) => t.textContent));
  check(coverageRows.length === 9, `the profile has coverage for the nine Handlungsfelder (${coverageRows.length})`);
  const profileText = await page.textContent('#profile');
  check(/amtlich|modelliert/.test(profileText) && /\d+\/\d+/.test(profileText),
    'rows say amtlich/modelliert and give the rank');
  // The gap map's legend is the 3×3 matrix with the counts of /api/legend.
  const cells = await page.$$eval('#legend .bivariate .cell', (cs) => cs.map((c) => Number(c.textContent)));
  const gapLegend = await (await fetch(`${origin}/api/legend/versorgungsluecke?field=kultur-sport`)).json();
  check(cells.length === 9 && cells.reduce((a, b) => a + b, 0) === gapLegend.classes.reduce((a, c) => a + c.count, 0),
    `the gap legend is a 3×3 matrix (${cells.join(',')})`);
  // Services appear when a Handlungsfeld is ticked.
  await page.check('#services-toggle input[value="bildung"]');
  await page.waitForFunction(() => window.atlas.map.queryRenderedFeatures({ layers: ['services'] }).length > 0,
    null, { timeout: 10000 });
  const shownFields = await page.evaluate(() => window.atlas.map.queryRenderedFeatures({ layers: ['services'] })
    .map((f) => String(f.properties.field)));
  check(shownFields.length > 5 && shownFields.every((f) => f.split(',').includes('bildung')),
    `ticking Bildung shows its ${shownFields.length} services, and only them`);
  await page.uncheck('#services-toggle input[value="bildung"]');
  // Without a mouse: the district list chooses a district.
  const other = apiProfile.id === 1 ? 2 : 1;
  await page.focus('#district-select');
  await page.selectOption('#district-select', String(other));
  await page.waitForFunction((id) => window.atlas.profile?.id === id, other, { timeout: 10000 });
  const otherName = (await (await fetch(`${origin}/api/districts/${other}`)).json()).name;
  check(await page.textContent('#district h2') === otherName && await page.inputValue('#district-select') === String(other),
    `the district list opens ${otherName}'s profile`);
  await page.selectOption('#district-select', String(clicked.id));
  await page.waitForFunction((id) => window.atlas.profile?.id === id, clicked.id, { timeout: 10000 });

  // The panel follows the map: another field shows the district's value in that field.
  await page.selectOption('#field', 'bildung');
  await waitFor(page, 'idle:versorgungsluecke:2024:bildung');
  const followed = await page.evaluate(() => window.atlas.district);
  const bildung = await (await fetch(`${origin}/api/legend/versorgungsluecke?field=bildung`)).json();
  const expected = bildung.districts.find((d) => d.id === clicked.id);
  check(followed.label === (expected.label || bildung.missing.label) &&
    (await page.textContent('#district')).includes(followed.label),
  `after a field change the panel shows the new value (${followed.label})`);
  const url = new URL(page.url());
  check(url.searchParams.get('style') === 'versorgungsluecke' && url.searchParams.get('field') === 'bildung' &&
    url.searchParams.get('district') === String(clicked.id), `the address names the map on screen (${url.search})`);
  const names = await page.$$eval('#downloads a', (as) => as.map((a) => a.getAttribute('download')));
  check(new Set(names).size === names.length && names.every((n) => n.includes('bildung-2024')),
    `every download has its own name (${names.join(', ')})`);

  // Back returns to the field before.
  await page.goBack();
  await waitFor(page, 'idle:versorgungsluecke:2024:kultur-sport');
  check(await page.inputValue('#field') === 'kultur-sport', 'back restores the previous map');

  // A shared link opens that map with that district.
  await page.goto(`${origin}/?style=auslaender_anteil&year=2019&district=${clicked.id}`);
  await waitFor(page, 'idle:auslaender_anteil:2019:');
  const shared = await page.evaluate(() => window.atlas.district);
  const legend2019 = await (await fetch(`${origin}/api/legend/auslaender_anteil?year=2019`)).json();
  const in2019 = legend2019.districts.find((d) => d.id === clicked.id);
  check(shared?.name === in2019.name && shared.label === (in2019.label || legend2019.missing.label),
    `a deep link opens the 2019 map with ${in2019.name} (${shared?.label})`);
  // An indicator map's profile draws that indicator over the years against the median.
  await page.waitForFunction((id) => window.atlas.profile?.id === id && window.atlas.profile.year === 2019,
    clicked.id, { timeout: 10000 });
  const paths = await page.locator('#profile figure.series svg path').count();
  check(paths === 2, `the profile draws the series of the district and of the median (${paths} lines)`);

  check(foreign.length === 0, `no request leaves the server ${JSON.stringify(foreign.slice(0, 3))}`);
  check(errors.length === 0, `no script errors ${JSON.stringify(errors)}`);
  if (process.env.ATLAS_SCREENSHOT) await page.screenshot({ path: process.env.ATLAS_SCREENSHOT });
} catch (e) {
  failures.push(String(e.stack ?? e));
  console.log(`FAIL ${e.stack ?? e}`);
} finally {
  await browser?.close();
  server.kill('SIGTERM');
}
process.exit(failures.length ? 1 : 0);
