#!/usr/bin/python3
"""What QGIS shows when it loads the atlas as an "OGC API - Features" connection.

QGIS's own OAPIF provider (the one behind Layer > Data Source Manager > WFS / OGC API -
Features) loads the `districts` and `services` collections from `atlas serve`, in ETRS89 /
UTM 32N. QGIS's own style parsers then load every served style, as QML and as SLD: the QML must
give a rule-based renderer whose legend is the classes of /api/legend plus "geheim" and "keine
Angabe" as entries of their own; rendered by QGIS, every district must have the colour
/api/legend gives it (withheld districts the "geheim" colour, in QML and SLD alike). The
foreigners' share is drawn to a PNG for docs/.

Usage: /usr/bin/python3 scripts/qgis-render.py (--url URL | --atlas BINARY) [OUT.png]
  --atlas starts `BINARY serve` on a free loopback port and stops it at the end (the CTest
  `qgis_styles`); scripts/qgis-render.sh installs QGIS and passes --url.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", tempfile.mkdtemp(prefix="atlas-qgis-"))

from qgis.core import (  # noqa: E402  (the platform must be set first)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsMapBoxGlStyleConverter,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, QVariant  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont, QPainter  # noqa: E402

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def fetch(address):
    with urllib.request.urlopen(address) as response:
        return response.read()


def page_config(base):
    page = fetch(base + "/").decode()
    marker = '<script id="atlas-config" type="application/json">'
    start = page.index(marker) + len(marker)
    return page[start:page.index("</script>", start)]


def render(layers, extent_layer, size=(900, 800)):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    extent = extent_layer.extent()
    extent.scale(1.05)
    settings.setExtent(settings.layerToMapCoordinates(extent_layer, extent))
    settings.setOutputSize(QSize(*size))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage(), settings


def expected_colour(legend, district):
    if district["class"] is not None:
        return legend["classes"][district["class"]]["colour"]
    return legend["suppressed" if district["suppressed"] else "missing"]["colour"]


def check_pixels(layer, legend, what):
    """Every district's interior pixel has the colour /api/legend gives it."""
    image, settings = render([layer], layer)
    to_pixel = settings.mapToPixel()
    by_id = {d["id"]: d for d in legend["districts"]}
    checked = withheld = 0
    for feature in layer.getFeatures():
        district = by_id.get(feature["id"])
        if district is None:
            continue
        inside = feature.geometry().poleOfInaccessibility(5)[0]
        point = to_pixel.transform(settings.layerToMapCoordinates(layer, inside.asPoint()))
        got = QColor(image.pixel(round(point.x()), round(point.y()))).name()
        want = expected_colour(legend, district)
        check(got == want, f"{what}: {district['name']} drawn {got}, legend says {want}")
        checked += 1
        withheld += district["suppressed"]
    check(checked == len(legend["districts"]), f"{what}: {checked} districts drawn")
    return checked, withheld


def check_styles(layer, base, style, query):
    """Loads /styles/STYLE.qml and .sld with QGIS's parsers and compares them with the legend."""
    legend = json.loads(fetch(f"{base}/api/legend/{style}{query}"))
    qml_text = fetch(f"{base}/styles/{style}.qml{query}")

    def load_qml():
        with tempfile.NamedTemporaryFile(suffix=".qml") as qml:
            qml.write(qml_text)
            qml.flush()
            return layer.loadNamedStyle(qml.name)

    message, ok = load_qml()
    check(ok, f"QGIS rejected {style}.qml: {message}")
    renderer = layer.renderer()
    check(renderer.type() == "RuleRenderer", f"{style}.qml: renderer {renderer.type()}")
    year_rules = renderer.rootRule().children()
    check(len(year_rules) == 2, f"{style}.qml: {len(year_rules)} top rules")
    # The legend QGIS shows: every class, then "geheim" and "keine Angabe" with their colours.
    got = [(r.label(), r.symbol().color().name()) for r in year_rules[0].children()]
    want = [(c["label"] + (" (modelliert)" if legend["data_status"] == "modelled" else ""),
             c["colour"]) for c in legend["classes"]]
    want += [(legend["suppressed"]["label"], legend["suppressed"]["colour"]),
             (legend["missing"]["label"], legend["missing"]["colour"])]
    check(got == want, f"{style}.qml legend in QGIS {got}, /api/legend {want}")
    # The layer is the newest year; a style of another year draws nothing as if it were its own.
    layer_year = next(layer.getFeatures())["coverage_year" if legend["field"] else "year"]
    drawn = withheld = 0
    if layer_year != legend["year"]:
        image, settings = render([layer], layer)
        classes = {c["colour"] for c in legend["classes"]}
        for feature in layer.getFeatures():
            inside = feature.geometry().poleOfInaccessibility(5)[0]
            point = settings.mapToPixel().transform(
                settings.layerToMapCoordinates(layer, inside.asPoint()))
            got = QColor(image.pixel(round(point.x()), round(point.y()))).name()
            check(got not in classes, f"{style}.qml of {legend['year']} colours "
                  f"{feature['name']} of {layer_year} with a class colour")
    else:
        drawn, withheld = check_pixels(layer, legend, f"{style}.qml{query}")
        with tempfile.NamedTemporaryFile(suffix=".sld") as sld:
            sld.write(fetch(f"{base}/styles/{style}.sld{query}"))
            sld.flush()
            message, ok = layer.loadSldStyle(sld.name)
        check(ok, f"QGIS rejected {style}.sld: {message}")
        check_pixels(layer, legend, f"{style}.sld{query}")
        load_qml()  # the layer keeps the QML's legend
    print(f"QGIS: {style}{query}: {len(got)} legend entries as /api/legend; "
          f"{drawn} districts drawn in their colours ({withheld} withheld) with QML and SLD")
    return withheld


def check_vector_tile_style(layer, base, style, query):
    """QGIS's MapBox GL converter reads /styles/STYLE.json?for=qgis without a warning, and its
    fill colour, evaluated on each district, is the colour /api/legend gives it."""
    sep = "&" if query else "?"
    legend = json.loads(fetch(f"{base}/api/legend/{style}{query}"))
    converter = QgsMapBoxGlStyleConverter()
    converter.convert(json.loads(fetch(f"{base}/styles/{style}.json{query}{sep}for=qgis")))
    check(not converter.warnings(), f"{style}.json?for=qgis in QGIS: {converter.warnings()}")
    styles = converter.renderer().styles() if converter.renderer() else []
    fills = [s for s in styles if s.styleName() == "districts-fill"]
    check(len(fills) == 1, f"{style}.json?for=qgis: no districts-fill style in QGIS")
    if not fills:
        return
    fill = fills[0].symbol().symbolLayer(0)
    colour = fill.dataDefinedProperties().property(3)  # QgsSymbolLayer.PropertyFillColor
    expression = QgsExpression(colour.expressionString()) if colour.isActive() else None
    by_id = {d["id"]: d for d in legend["districts"]}
    matched = 0
    for feature in layer.getFeatures():
        district = by_id[feature["id"]]
        context = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
        context.setFeature(feature)
        got = expression.evaluate(context) if expression else fill.color().name()
        want = expected_colour(legend, district)
        check(QColor(got).name() == want,
              f"{style}.json?for=qgis: {district['name']} gets {got}, legend says {want}")
        matched += 1
    print(f"QGIS: {style}.json?for=qgis converted without warnings; {matched} districts coloured "
          f"as /api/legend")


def check_typed_fields(url):
    """The README's route to typed fields in QGIS: its GDAL provider reads the schema.

    QGIS 3.22's own OAPIF provider guesses types from the first ten features, so a field null in
    every district of the newest year arrives as text; through GDAL (`OAPIF:` source) the types
    come from the collection's `describedBy` JSON Schema."""
    layer = QgsVectorLayer(f"OAPIF:{url}|layername=districts", "Stadtteile (GDAL)", "ogr")
    check(layer.isValid(), "QGIS's GDAL provider could not open OAPIF:" + url)
    if not layer.isValid():
        return
    fields = layer.fields()
    for name, wanted in (("einwohner", QVariant.Int), ("einwohner_zensus2011", QVariant.Int),
                         ("auslaender_anteil", QVariant.Double), ("arbeit_distance_m", QVariant.Double)):
        index = fields.indexOf(name)
        check(index >= 0 and fields.at(index).type() == wanted,
              f"GDAL-provider field {name}: {fields.at(index).typeName() if index >= 0 else 'missing'}")
    matched = sum(1 for _ in layer.getFeatures(QgsFeatureRequest().setFilterExpression(
        "einwohner_modell > 10000")))
    check(0 < matched < 53, f"einwohner_modell > 10000 matched {matched} districts through GDAL")


def start_atlas(binary):
    server = subprocess.Popen([binary, "serve", "--port", "0"], stdout=subprocess.PIPE,
                              text=True)
    for line in server.stdout:
        found = re.search(r"on (http://127\.0\.0\.1:\d+)/", line)
        if found:
            return server, found.group(1)
    sys.exit("atlas serve did not start")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = ap.add_mutually_exclusive_group(required=True)
    source.add_argument("--url", help="a running atlas, e.g. http://127.0.0.1:8080")
    source.add_argument("--atlas", help="the atlas binary to start")
    ap.add_argument("out", nargs="?", help="PNG of the foreigners' share as QGIS draws it")
    args = ap.parse_args()
    server = None
    base = args.url
    if args.atlas:
        server, base = start_atlas(args.atlas)
    try:
        run(base.rstrip("/"), args.out)
    finally:
        if server:
            server.terminate()
            server.wait()
    if FAILURES:
        print(f"{len(FAILURES)} failures")
        sys.stdout.flush()
        os._exit(1)
    # QGIS 3.22's Python teardown crashes after a style was loaded from a file (seen here with
    # and without exitQgis); the work is done and flushed, so leave without the teardown.
    sys.stdout.flush()
    os._exit(0)


def run(base, out):
    app = QgsApplication([], False)
    app.initQgis()
    url = base + "/ogc"
    districts = QgsVectorLayer(f"url='{url}' typename='districts'", "Stadtteile", "OAPIF")
    services = QgsVectorLayer(f"url='{url}' typename='services'", "Einrichtungen", "OAPIF")
    for layer in (districts, services):
        if not layer.isValid():
            sys.exit(f"QGIS could not load {layer.name()} from {url}")
    print(f"QGIS loaded {districts.featureCount()} districts and {services.featureCount()} services; "
          f"fields: {len(districts.fields())} (e.g. {', '.join(districts.fields().names()[:6])})")

    check_typed_fields(url)

    withheld = 0
    for style in json.loads(page_config(base))["styles"]:
        query = "?field=kultur-sport" if style.get("coverage") else ""
        withheld += check_styles(districts, base, style["id"], query)
        check_vector_tile_style(districts, base, style["id"], query)
    check(withheld > 0, "no style showed a withheld district in QGIS")
    if not out:
        return
    check_styles(districts, base, "auslaender_anteil", "")  # the one drawn below
    labels = QgsPalLayerSettings()
    labels.fieldName = "name"
    text = QgsTextFormat()
    text.setSize(6)
    labels.setFormat(text)
    districts.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    districts.setLabelsEnabled(True)
    services.renderer().symbol().setColor(QColor("#2c7bb6"))
    services.renderer().symbol().setSize(1.2)
    image, _ = render([services, districts], districts, (1200, 1100))
    year_rule = districts.renderer().rootRule().children()[0]
    # The map names what it shows and whose data it is (attribution wherever a map is shown).
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.setFont(QFont("Liberation Sans", 16))
    painter.drawText(20, 36, "Ausländeranteil je Stadtteil – MODELLIERT (synthetisch), keine amtliche Statistik")
    painter.setFont(QFont("Liberation Sans", 11))
    painter.drawText(20, 62, f"Legende, wie QGIS sie aus /styles/auslaender_anteil.qml liest ({year_rule.label()}):")
    for i, rule in enumerate(year_rule.children()):
        y = 76 + i * 22
        painter.fillRect(20, y, 26, 16, rule.symbol().color())
        painter.drawRect(20, y, 26, 16)
        painter.drawText(54, y + 13, rule.label())
    painter.drawText(20, 1080, "Geladen in QGIS über OGC API – Features (EPSG:25832). "
                     "© Landeshauptstadt Erfurt, Geoportal (dl-de/by-2-0); © OpenStreetMap-Mitwirkende (ODbL)")
    painter.end()
    image.save(out, "png")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
