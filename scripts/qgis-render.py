#!/usr/bin/python3
"""Renders what QGIS shows when it loads the atlas as an "OGC API - Features" connection.

QGIS's own OAPIF provider (the one behind Layer > Data Source Manager > WFS / OGC API -
Features) loads the `districts` and `services` collections from a running `atlas serve`, in
ETRS89 / UTM 32N. QGIS's own style parser then loads the atlas's QML styles (/styles/*.qml):
every style must load, give the renderer the legend names (graduated or categorized, same
attribute, same bounds and colours as /api/legend); the foreigners' share is drawn to a PNG.
Run by scripts/qgis-render.sh (which installs QGIS, starts the server and stops it again).

Usage: /usr/bin/python3 scripts/qgis-render.py URL OUT.png
"""

import json
import os
import sys
import tempfile
import urllib.request

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (the platform must be set first)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont, QPainter  # noqa: E402


def fetch(address):
    with urllib.request.urlopen(address) as response:
        return response.read()


def page_config(base):
    page = fetch(base + "/").decode()
    marker = '<script id="atlas-config" type="application/json">'
    start = page.index(marker) + len(marker)
    return page[start:page.index("</script>", start)]


def check_qml_style(layer, base, style):
    """Loads /styles/STYLE.qml with QGIS's parser and compares the renderer with the legend."""
    query = "?field=kultur-sport"
    legend = json.loads(fetch(f"{base}/api/legend/{style}{query}"))
    with tempfile.NamedTemporaryFile(suffix=".qml") as qml:
        qml.write(fetch(f"{base}/styles/{style}.qml{query}"))
        qml.flush()
        message, ok = layer.loadNamedStyle(qml.name)
    if not ok:
        sys.exit(f"QGIS rejected {style}.qml: {message}")
    renderer = layer.renderer()
    colours = [c["colour"] for c in legend["classes"]]
    if legend["method"] == "bivariate":
        got = [(c.value(), c.symbol().color().name()) for c in renderer.categories()]
        want = [(c["value"], c["colour"]) for c in legend["classes"]]
        want.append(("", legend["missing"]["colour"]))
        kind = "categorizedSymbol"
    else:
        got = [(r.lowerValue(), r.upperValue(), r.symbol().color().name()) for r in renderer.ranges()]
        want = [(c["lower"], c["upper"], c["colour"]) for c in legend["classes"]]
        kind = "graduatedSymbol"
    if renderer.type() != kind or renderer.classAttribute() != legend["attribute"] or got != want:
        sys.exit(f"{style}.qml in QGIS: {renderer.type()} on {renderer.classAttribute()} {got}, "
                 f"legend: {kind} on {legend['attribute']} {want}")
    print(f"QGIS loaded {style}.qml: {renderer.type()} on '{renderer.classAttribute()}', "
          f"{len(colours)} classes identical to /api/legend")


def main():
    url, out = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False)
    app.initQgis()
    districts = QgsVectorLayer(f"url='{url}' typename='districts'", "Stadtteile", "OAPIF")
    services = QgsVectorLayer(f"url='{url}' typename='services'", "Einrichtungen", "OAPIF")
    for layer in (districts, services):
        if not layer.isValid():
            sys.exit(f"QGIS could not load {layer.name()} from {url}")
    print(f"QGIS loaded {districts.featureCount()} districts and {services.featureCount()} services; "
          f"fields: {len(districts.fields())} (e.g. {', '.join(districts.fields().names()[:6])})")

    base = url.rsplit("/ogc", 1)[0]
    styles = [s["id"] for s in json.loads(page_config(base))["styles"]]
    for style in styles:
        check_qml_style(districts, base, style)
    check_qml_style(districts, base, "auslaender_anteil")  # the one drawn below
    ranges = districts.renderer().ranges()
    labels = QgsPalLayerSettings()
    labels.fieldName = "name"
    text = QgsTextFormat()
    text.setSize(6)
    labels.setFormat(text)
    districts.setLabeling(QgsVectorLayerSimpleLabeling(labels))
    districts.setLabelsEnabled(True)
    services.renderer().symbol().setColor(QColor("#2c7bb6"))
    services.renderer().symbol().setSize(1.2)

    settings = QgsMapSettings()
    settings.setLayers([services, districts])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:25832"))
    extent = districts.extent()
    extent.scale(1.05)
    settings.setExtent(settings.layerToMapCoordinates(districts, extent))
    settings.setOutputSize(QSize(1200, 1100))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    # The map names what it shows and whose data it is (attribution wherever a map is shown).
    painter = QPainter(image)
    painter.setPen(QColor("black"))
    painter.setFont(QFont("Liberation Sans", 16))
    painter.drawText(20, 36, "Ausländeranteil 2024 je Stadtteil – MODELLIERT (synthetisch), keine amtliche Statistik")
    painter.setFont(QFont("Liberation Sans", 11))
    painter.drawText(20, 60, "Klassen (Stil /styles/auslaender_anteil.qml): " +
                     ", ".join(r.label() for r in ranges) + "; Punkte: Einrichtungen (OSM)")
    painter.drawText(20, 1080, "Geladen in QGIS über OGC API – Features (EPSG:25832). "
                     "© Landeshauptstadt Erfurt, Geoportal (dl-de/by-2-0); © OpenStreetMap-Mitwirkende (ODbL)")
    painter.end()
    image.save(out, "png")
    print(f"wrote {out}")
    # QGIS 3.22's Python teardown crashes after a style was loaded from a file (seen here with
    # and without exitQgis); the work is done and flushed, so leave without the teardown.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
