// The map both pages draw on: German controls, the city's bounds, a scale bar, and a canvas
// whose last frame stays readable (tests and screenshots sample its pixels).
import * as maplibregl from './maplibre-gl.mjs';

export { maplibregl };

export function createMap(style, bounds, customAttribution = undefined) {
  const map = new maplibregl.Map({
    container: 'map',
    style,
    bounds,
    fitBoundsOptions: { padding: 20 },
    fadeDuration: 0,
    attributionControl: { compact: true, customAttribution },
    canvasContextAttributes: { preserveDrawingBuffer: true },
    locale: {
      'NavigationControl.ZoomIn': 'Hineinzoomen',
      'NavigationControl.ZoomOut': 'Herauszoomen',
      'AttributionControl.ToggleAttribution': 'Quellenangaben',
    },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
  return map;
}
