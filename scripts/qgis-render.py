#!/usr/bin/python3
"""Renders what QGIS shows when it loads the atlas as an "OGC API - Features" connection.

QGIS's own OAPIF provider (the one behind Layer > Data Source Manager > WFS / OGC API -
Features) loads the `districts` and `services` collections from a running `atlas serve`, in
ETRS89 / UTM 32N, colours the districts by the modelled foreigners' share, and writes a PNG.
Run by scripts/qgis-render.sh (which installs QGIS, starts the server and stops it again).

Usage: /usr/bin/python3 scripts/qgis-render.py URL OUT.png
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402  (the platform must be set first)
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsGraduatedSymbolRenderer,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPalLayerSettings,
    QgsRendererRange,
    QgsSymbol,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont, QPainter  # noqa: E402


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

    # Five classes of the modelled foreigners' share (ColorBrewer YlOrRd).
    colours = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
    breaks = [0, 3, 6, 10, 15, 100]
    ranges = []
    for i, colour in enumerate(colours):
        symbol = QgsSymbol.defaultSymbol(districts.geometryType())
        symbol.setColor(QColor(colour))
        label = f"{breaks[i]}–{breaks[i + 1]} %"
        ranges.append(QgsRendererRange(breaks[i], breaks[i + 1], symbol, label))
    districts.setRenderer(QgsGraduatedSymbolRenderer("auslaender_anteil_modell", ranges))
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
    painter.drawText(20, 60, "Klassen: " + ", ".join(r.label() for r in ranges) + "; Punkte: Einrichtungen (OSM)")
    painter.drawText(20, 1080, "Geladen in QGIS über OGC API – Features (EPSG:25832). "
                     "© Landeshauptstadt Erfurt, Geoportal (dl-de/by-2-0); © OpenStreetMap-Mitwirkende (ODbL)")
    painter.end()
    image.save(out, "png")
    print(f"wrote {out}")
    app.exitQgis()


if __name__ == "__main__":
    main()
