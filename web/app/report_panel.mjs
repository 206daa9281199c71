// Renders the JSON report (schemas/report.schema.json) as tables, zone bars,
// the lung HU histogram, the loading warnings and the method used, and the
// neural engine's numbers next to the classical ones when the report has
// them. Every shown number keeps its unit and names its engine. Cells carry
// data-quantity (the path below results, or below neural.results with the
// prefix "neural.") and data-value (the exact value), so tests can compare
// them with the native report.
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

// prefix: "" for the classical results, "neural." for the neural engine's.
function summaryTable(results, caption, prefix = '') {
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
      quantityCell('td', lung.volume, `${prefix}${key}.volume`, 1),
      quantityCell('td', lung.ground_glass.volume, `${prefix}${key}.ground_glass.volume`, 1),
      quantityCell('td', lung.ground_glass.percent_of_lung, `${prefix}${key}.ground_glass.percent_of_lung`, 2),
      quantityCell('td', lung.consolidation.volume, `${prefix}${key}.consolidation.volume`, 1),
      quantityCell('td', lung.consolidation.percent_of_lung, `${prefix}${key}.consolidation.percent_of_lung`, 2),
      quantityCell('td', lung.involvement.percent_of_lung, `${prefix}${key}.involvement.percent_of_lung`, 2),
      quantityCell('td', lung.density.mean, `${prefix}${key}.density.mean`, 1));
  }));
  return element('table', { class: 'numbers' }, element('caption', {}, caption), head, body);
}

// Returns which zones the severity score sums: all six, or those that contain lung.
function zonesSummed(bothLungs) {
  const scored = bothLungs.scored_zones.value;
  return scored === 6 ? 'sum of six zones' : `sum of ${scored} of 6 zones; the others contain no lung`;
}

function zoneBars(results, caption, prefix = '') {
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
        quantityCell('td', zone.volume, `${prefix}${key}.zones.${z}.volume`, 1),
        element('td', { class: 'bar-cell' },
          element('div', { class: 'bar', role: 'img', 'aria-label': `involvement ${formatNumber(percent, 2)} %` }, fill),
          ' ',
          quantityCell('span', zone.involvement.percent_of_lung, `${prefix}${key}.zones.${z}.involvement.percent_of_lung`, 2)),
        zone.score.value === null
          ? element('td', { class: 'score' }, 'n/a (no lung)')
          : element('td', { class: 'score' }, quantityCell('span', zone.score, `${prefix}${key}.zones.${z}.score`), ' / 5')));
    }
  }
  const head = element('thead', {}, element('tr', {},
    element('th', { scope: 'col' }, 'Zone'),
    element('th', { scope: 'col' }, 'Volume'),
    element('th', { scope: 'col' }, 'Involvement'),
    element('th', { scope: 'col' }, 'Score (0–5)')));
  return element('table', { class: 'zones' }, element('caption', {}, caption), head, element('tbody', {}, rows));
}

const comparedRows = [
  ['Right lung volume', 'right_lung.volume', 1],
  ['Left lung volume', 'left_lung.volume', 1],
  ['Both lungs volume', 'both_lungs.volume', 1],
  ['GGO % of lung (both lungs)', 'both_lungs.ground_glass.percent_of_lung', 2],
  ['Consolidation % of lung (both lungs)', 'both_lungs.consolidation.percent_of_lung', 2],
  ['Involvement % of lung (both lungs)', 'both_lungs.involvement.percent_of_lung', 2],
  ['Severity score (of 30)', 'both_lungs.severity_score', undefined],
];

function valueAt(object, dottedPath) {
  return dottedPath.split('.').reduce((value, key) => value?.[key], object);
}

// Main numbers of both engines side by side; a missing result shows "–".
function engineComparison(results, neural) {
  const head = element('thead', {}, element('tr', {},
    element('th', { scope: 'col' }, ''),
    element('th', { scope: 'col' }, 'Classical engine'),
    element('th', { scope: 'col' }, 'Neural engine')));
  const body = element('tbody', {}, comparedRows.map(([label, path, digits]) => element('tr', {},
    element('th', { scope: 'row' }, label),
    quantityCell('td', results ? valueAt(results, path) : null, path, digits),
    quantityCell('td', neural.results ? valueAt(neural.results, path) : null, `neural.${path}`, digits))));
  return element('table', { class: 'numbers engine-comparison' },
    element('caption', {}, 'Classical and neural engine side by side (same quantification, different lung and lesion masks)'), head, body);
}

// The neural engine's part of the report: its status, findings, numbers and parameters.
function neuralSection(neural) {
  const section = element('section', { class: 'neural-results' },
    element('h3', {}, `Neural engine (${neural.method.segmentation.engine})`),
    element('p', {}, 'Every number in this section comes from the neural engine: U-Net lung and infection masks, measured with the same quantification as the classical numbers.'));
  const findings = diagnosticList(neural.diagnostics);
  if (findings) section.append(findings);
  if (!neural.results) {
    section.append(element('p', { class: 'error' }, `No neural results: its status is "${neural.status}".`));
    return section;
  }
  const results = neural.results;
  section.append(summaryTable(results, 'Lung volumes and involvement (neural engine)', 'neural.'));
  section.append(element('p', { class: 'total-score' }, `Severity score of the neural engine (${zonesSummed(results.both_lungs)}): `,
    quantityCell('strong', results.both_lungs.severity_score, 'neural.both_lungs.severity_score'), ' / 30'));
  section.append(zoneBars(results, 'Zones of the neural engine (upper, middle, lower third of each lung)', 'neural.'));
  section.append(element('details', { class: 'method' }, element('summary', {}, 'Neural engine parameters'),
    element('table', { class: 'parameters' }, element('tbody', {}, parameterRows(neural.method.segmentation.parameters)))));
  return section;
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

// Returns one table row per engine parameter: name, meaning, value with unit.
function parameterRows(parameters) {
  return parameters.map((p) => element('tr', {},
    element('td', {}, p.name), element('td', {}, p.description), element('td', {}, `${p.value} ${p.unit}`.trim())));
}

function methodSection(method) {
  const parameters = parameterRows(method.segmentation.parameters);
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

// Returns the line that identifies the patient and the study, leaving out
// what the files do not give; the same wording as the HTML report.
export function patientLine(patient, study) {
  const parts = [['Patient ', patient.name], ['ID ', patient.id], ['born ', patient.birth_date], ['sex ', patient.sex]]
    .filter(([, value]) => value).map(([label, value]) => label + value);
  const line = parts.length ? parts.join(', ') : 'Patient not identified in the files (anonymised?)';
  const studyParts = [['of ', study.date], ['', study.description], ['accession ', study.accession_number]]
    .filter(([, value]) => value).map(([label, value]) => label + value);
  return studyParts.length ? `${line}; study ${studyParts.join(', ')}` : line;
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

  if (report.neural) container.append(engineComparison(report.results, report.neural));

  if (!report.results) {
    container.append(element('p', { class: 'error' }, `No results: the analysis status is "${report.status}".`));
    if (report.neural) container.append(neuralSection(report.neural));
    return null;
  }
  const results = report.results;
  const engine = report.method.segmentation.engine;
  container.append(summaryTable(results, `Lung volumes and involvement (${engine} engine)`));
  container.append(element('p', { class: 'total-score' }, `Severity score (${engine} engine, ${zonesSummed(results.both_lungs)}): `,
    quantityCell('strong', results.both_lungs.severity_score, 'both_lungs.severity_score'), ' / 30'));
  container.append(zoneBars(results, `Zones of the ${engine} engine (upper, middle, lower third of each lung)`));

  const histogram = results.both_lungs.density.histogram;
  const settings = report.method.quantification.histogram;
  const canvas = element('canvas', { class: 'histogram', role: 'img', 'aria-label': 'Histogram of lung voxel HU values' });
  container.append(element('figure', {}, canvas, element('figcaption', {},
    `Lung HU histogram (${engine} engine masks, both lungs, ${settings.bin_width.value} HU bins; `,
    `${histogram.below_range.value} voxels below and ${histogram.above_range.value} above the range)`)));
  const draw = () => drawHistogram(canvas, { counts: histogram.counts.value, lowerEdgeHu: settings.lower_edge.value, binWidthHu: settings.bin_width.value });
  requestAnimationFrame(draw);

  container.append(methodSection(report.method));
  if (report.neural) container.append(neuralSection(report.neural));
  container.append(element('p', { class: 'disclaimer' }, report.disclaimer));
  return draw;
}
