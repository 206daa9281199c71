// Exports of the current analysis: the JSON report, a printable page, the
// masks as NIfTI and as a DICOM Segmentation. Files are made in the page and
// saved through object URLs; nothing is uploaded.
import { downloadBlob, element } from './dom.mjs';
import { buildDicomSeg } from './dicom_seg.mjs';

function baseName(app) {
  const uid = app.report?.input?.series_instance_uid;
  return uid ? `lunglens-${uid.slice(-12)}` : 'lunglens';
}

export function exportJson(app) {
  if (!app.analysis?.reportJson) throw new Error('there is no report yet: analyse a series first');
  downloadBlob([app.analysis.reportJson], 'application/json', `${baseName(app)}-report.json`);
}

export async function exportNifti(app, client) {
  const { bytes } = await client.request({ type: 'masksNifti' });
  downloadBlob([bytes], 'application/octet-stream', `${baseName(app)}-masks.nii`);
}

export async function exportDicomSeg(app, client) {
  if (!app.volume?.lungs) throw new Error('there are no masks yet: analyse a series in which lungs are found');
  const { json } = await client.request({ type: 'metadataJson', seriesIndex: app.analysis.seriesIndex });
  const dcmjs = (await import('../vendor/dcmjs.es.js')).default;
  const seg = buildDicomSeg(dcmjs, {
    metadata: JSON.parse(json),
    volume: app.volume,
    softwareVersion: `lunglens ${app.engine?.version ?? ''}`.trim(),
  });
  downloadBlob([seg.bytes], 'application/dicom', `${baseName(app)}-seg.dcm`);
  return seg;
}

// Copies the three views into images for the printed page (canvases are
// resized by print layout, images keep their pixels), then opens the
// browser's print dialog. print.css lays the page out on one sheet.
export function printReport(app, viewer) {
  if (!app.report) throw new Error('there is no report yet: analyse a series first');
  const images = viewer.views.map((view) => element('figure', {},
    element('img', { src: view.canvas.toDataURL('image/png'), alt: `${view.name} view with overlays` }),
    element('figcaption', {}, view.name)));
  document.getElementById('print-images').replaceChildren(...images);
  app.redrawHistogram?.();
  window.print();
}
