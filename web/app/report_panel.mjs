// Renders the JSON report (schemas/report.schema.json) as tables, zone bars,
// the lung HU histogram, the loading warnings and the method used. Every
// shown number keeps its unit. Cells carry data-quantity (the report path) and
// data-value (the exact value), so tests can compare them with the native report.
import { element } from './dom.mjs';
import { drawHistogram } from './histogram_plot.mjs';

const unitLabels = { '{score}': '', '{voxel}': 'voxels', '{slice}': 'slices', '{pixel}': 'pixels', mm3: 'mm³' };

function unitLabel(unit) {
  return unit in unitLabels ? unitLabels[unit] : unit;
}

function formatNumber(value, digits) {
  if (value === null || value === undefined) return '–';
  if (Array.isArray(value)) return value.map((v) => formatNumber(v, digits)).join(' × ');
  return Number.isInteger(value) && digits === undefined ? String(value) : value.toFixed(digits ?? 1);
}

// Returns a cell showing quantity {value, unit} with `digits` decimals.
function quantityCell(tag, quantity, path, digits) {
  if (!quantity) return element(tag, {}, '–');
  const text = `${formatNumber(quantity.value, digits)} ${unitLabel(quantity.unit)}`.trim();
  return element(tag, { 'data-quantity': path, 'data-value': JSON.stringify(quantity.value) }, text);
}

const lungRows = [
  ['right_lung', 'Right lung'],
  ['left_lung', 'Left lung'],
  ['both_lungs', 'Both lungs'],
];

function summaryTable(results) {
  const head = element('thead', {}, element('tr', {},
    element('th', { scope: 'col' }, ''),
    element('th', { scope: 'col' }, 'Volume'),
    element('th', { scope: 'col' }, 'GGO'),
    element('th', { scope: 'col' }, 'GGO % of lung'),
    element('th', { scope: 'col' }, 'Consolidation'),
    element('th', { scope: 'col' }, 'Consolidation % of lung'),
    element('th', { scope: 'col' }, 'Involvement % of lung'),
    element('th', { scope: 'col' }, 'Mean density')));
  const body = element('tbody', {}, lungRows.map(([key, label]) => {
    const lung = results[key];
    return element('tr', {},
      element('th', { scope: 'row' }, label),
      quantityCell('td', lung.volume, `${key}.volume`, 1),
      quantityCell('td', lung.ground_glass.volume, `${key}.ground_glass.volume`, 1),
      quantityCell('td', lung.ground_glass.percent_of_lung, `${key}.ground_glass.percent_of_lung`, 2),
      quantityCell('td', lung.consolidation.volume, `${key}.consolidation.volume`, 1),
      quantityCell('td', lung.consolidation.percent_of_lung, `${key}.consolidation.percent_of_lung`, 2),
      quantityCell('td', lung.involvement.percent_of_lung, `${key}.involvement.percent_of_lung`, 2),
      quantityCell('td', lung.density.mean, `${key}.density.mean`, 1));
  }));
  return element('table', { class: 'numbers' }, element('caption', {}, 'Lung volumes and involvement'), head, body);
}

function zoneBars(results) {
  const rows = [];
  for (const key of ['right_lung', 'left_lung']) {
    for (const [z, zone] of results[key].zones.entries()) {
      const percent = zone.involvement.percent_of_lung.value;
      const width = percent === null ? 0 : Math.min(100, percent);
      // Set through the CSSOM: the Content-Security-Policy blocks style attributes.
      const fill = element('div', { class: 'bar-fill' });
      fill.style.width = `${width}%`;
      rows.push(element('tr', {},
        element('th', { scope: 'row' }, zone.zone),
        quantityCell('td', zone.volume, `${key}.zones.${z}.volume`, 1),
        element('td', { class: 'bar-cell' },
          element('div', { class: 'bar', role: 'img', 'aria-label': `involvement ${formatNumber(percent, 2)} %` }, fill),
          ' ',
          quantityCell('span', zone.involvement.percent_of_lung, `${key}.zones.${z}.involvement.percent_of_lung`, 2)),
        element('td', { class: 'score' }, quantityCell('span', zone.score, `${key}.zones.${z}.score`), ' / 5')));
    }
  }
  const head = element('thead', {}, element('tr', {},
    element('th', { scope: 'col' }, 'Zone'),
    element('th', { scope: 'col' }, 'Volume'),
    element('th', { scope: 'col' }, 'Involvement'),
    element('th', { scope: 'col' }, 'Score (0–5)')));
  return element('table', { class: 'zones' }, element('caption', {}, 'Zones (upper, middle, lower third of each lung)'), head, element('tbody', {}, rows));
}

const severityLabels = { error: 'Error', warning: 'Warning', info: 'Note' };

// Plain-words list of diagnostics: severity, file (when there is one), message.
export function diagnosticList(diagnostics, { includeInfo = false } = {}) {
  const shown = diagnostics.filter((d) => includeInfo || d.severity !== 'info');
  if (shown.length === 0) return null;
  return element('ul', { class: 'diagnostics' }, shown.map((d) =>
    element('li', { class: `severity-${d.severity}` },
      element('strong', {}, severityLabels[d.severity] ?? 'Note'),
      d.file ? [' in ', element('code', {}, d.file)] : '',
      `: ${d.message}`)));
}

function methodSection(method) {
  const parameters = method.segmentation.parameters.map((p) => element('tr', {},
    element('td', {}, p.name), element('td', {}, `${p.value} ${p.unit}`.trim())));
  const quantification = method.quantification;
  const bands = quantification.density_bands.map((b) => {
    const [low, high] = b.range.value;
    const range = `${low === null ? '' : low} … ${high === null ? '' : high} ${b.range.unit}`;
    return element('li', {}, `${b.band.replace(/_/g, ' ')}: ${range}`);
  });
  return element('details', { class: 'method' },
    element('summary', {}, `Method: ${method.segmentation.engine} segmentation and thresholds`),
    element('p', {}, quantification.volume_rule),
    element('p', {}, quantification.zone_rule),
    element('p', {}, `Score: ${quantification.score_rule}`),
    element('p', {}, `Density statistics: ${quantification.density_exclusions}`),
    element('p', {}, 'Density bands:'),
    element('ul', {}, bands),
    element('table', { class: 'parameters' }, element('caption', {}, 'Segmentation parameters'), element('tbody', {}, parameters)));
}

// Fills `container` with the report. Returns a function that redraws the
// histogram after layout changes (printing), or null when there are no results.
export function renderReport(container, report) {
  container.replaceChildren();
  container.append(element('p', { class: 'generated' },
    `Generated ${report.generated_at} by ${report.generator.name} ${report.generator.version} (${report.method.segmentation.engine} engine).`));
  const input = report.input;
  container.append(element('p', { class: 'series-line' },
    `Series: ${input.series_description || '(no description)'}, `,
    quantityCell('span', input.slice_count, 'input.slice_count'), ', spacing ',
    quantityCell('span', input.spacing, 'input.spacing', 3)));

  if (report.status === 'partial') {
    container.append(element('p', { class: 'message message-warning', role: 'alert' },
      'Partial report: some slices of the series failed to decode (see the errors below), so the numbers do not cover the whole series.'));
  }

  const warnings = diagnosticList(report.diagnostics);
  if (warnings) container.append(element('section', { class: 'warnings' }, element('h3', {}, 'Warnings from loading and analysis'), warnings));

  if (!report.results) {
    container.append(element('p', { class: 'error' }, `No results: the analysis status is "${report.status}".`));
    return null;
  }
  const results = report.results;
  container.append(summaryTable(results));
  container.append(element('p', { class: 'total-score' }, 'Severity score (sum of six zones): ',
    quantityCell('strong', results.both_lungs.severity_score, 'both_lungs.severity_score'), ' / 30'));
  container.append(zoneBars(results));

  const histogram = results.both_lungs.density.histogram;
  const settings = report.method.quantification.histogram;
  const canvas = element('canvas', { class: 'histogram', role: 'img', 'aria-label': 'Histogram of lung voxel HU values' });
  container.append(element('figure', {}, canvas, element('figcaption', {},
    `Lung HU histogram (both lungs, ${settings.bin_width.value} HU bins; `,
    `${histogram.below_range.value} voxels below and ${histogram.above_range.value} above the range)`)));
  const draw = () => drawHistogram(canvas, { counts: histogram.counts.value, lowerEdgeHu: settings.lower_edge.value, binWidthHu: settings.bin_width.value });
  requestAnimationFrame(draw);

  container.append(methodSection(report.method));
  container.append(element('p', { class: 'disclaimer' }, report.disclaimer));
  return draw;
}
