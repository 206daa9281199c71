// Draws the lung HU histogram of the report (counts per bin from
// lowerEdgeHu in steps of binWidthHu) as bars on a canvas, with HU ticks.
// Bars use a linear count axis; voxels outside the range are not drawn.

export function drawHistogram(canvas, { counts, lowerEdgeHu, binWidthHu }) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(canvas.clientWidth * ratio) || 600;
  canvas.height = Math.round(canvas.clientHeight * ratio) || 200;
  const context = canvas.getContext('2d');
  context.clearRect(0, 0, canvas.width, canvas.height);

  const margin = { left: 8 * ratio, right: 8 * ratio, top: 8 * ratio, bottom: 22 * ratio };
  const plotWidth = canvas.width - margin.left - margin.right;
  const plotHeight = canvas.height - margin.top - margin.bottom;
  const maximum = Math.max(1, ...counts);
  const barWidth = plotWidth / counts.length;

  context.fillStyle = '#4f8fd8';
  counts.forEach((count, bin) => {
    const height = (count / maximum) * plotHeight;
    context.fillRect(margin.left + bin * barWidth, margin.top + plotHeight - height, Math.max(1, barWidth - 0.5), height);
  });

  // HU ticks every 200 HU.
  const upperEdgeHu = lowerEdgeHu + counts.length * binWidthHu;
  context.fillStyle = getComputedStyle(canvas).color || '#333';
  context.strokeStyle = context.fillStyle;
  context.font = `${11 * ratio}px system-ui, sans-serif`;
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (let hu = Math.ceil(lowerEdgeHu / 200) * 200; hu <= upperEdgeHu; hu += 200) {
    const x = margin.left + ((hu - lowerEdgeHu) / (upperEdgeHu - lowerEdgeHu)) * plotWidth;
    context.beginPath();
    context.moveTo(x, margin.top + plotHeight);
    context.lineTo(x, margin.top + plotHeight + 4 * ratio);
    context.stroke();
    context.fillText(`${hu}`, x, margin.top + plotHeight + 6 * ratio);
  }
  context.textAlign = 'right';
  context.fillText('HU', canvas.width - 2 * ratio, margin.top);
}
