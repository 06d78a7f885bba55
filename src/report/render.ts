import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

/**
 * Renders a vega-lite spec headless: vega-lite compiles it, vega draws it to
 * SVG with no DOM, resvg rasterises the SVG to PNG. No network, no browser.
 */
export async function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    })
      .render()
      .asPng();
    return { svg, png: Buffer.from(png) };
  } finally {
    view.finalize();
  }
}
