// Three linked slice views (axial, coronal, sagittal) on canvases, with
// windowing, slice scrolling, zoom, pan, overlays and a crosshair.
//
// Mouse: wheel scrolls slices (Ctrl+wheel zooms); left drag changes the
// window (right = wider, down = higher level); Shift+drag or right/middle drag
// pans; a click moves the crosshair, which sets the slices of the other views.
// Keyboard (on the focused viewer): arrows and PageUp/PageDown change the
// slice of the active view, 1 and 2 select the lung and mediastinal windows.
import { renderSlice } from './slice_renderer.mjs';
import { edgeLabels, viewMapping, voxelPositionMm } from './view_orientation.mjs';

export const windowPresets = {
  lung: { center: -600, width: 1500 },
  mediastinal: { center: 40, width: 350 },
};

const viewNames = ['axial', 'coronal', 'sagittal'];
const clickSlopPx = 3;

export class Viewer {
  // canvases: {axial, coronal, sagittal}; onCursor(info) receives the HU and
  // position under the mouse; onWindow(window) the current window.
  constructor(canvases, { onCursor = () => {}, onWindow = () => {} } = {}) {
    this.views = viewNames.map((name) => ({ name, canvas: canvases[name], zoom: 1, pan: [0, 0], frame: null }));
    this.onCursor = onCursor;
    this.onWindow = onWindow;
    this.volume = null;       // The volume with the overlay engine's labels (see setOverlayEngine).
    this.masks = {};          // Labels by engine: {classical: {lungs, lesions}, neural: {lungs, lesions}}.
    this.overlayEngine = 'classical';
    this.window = { ...windowPresets.lung };
    this.overlays = { rightLung: true, leftLung: true, groundGlass: true, consolidation: true, opacity: 0.4 };
    this.activeView = this.views[0];
    this.renderPending = false;
    for (const view of this.views) this.attachEvents(view);
    new ResizeObserver(() => this.requestRender()).observe(this.views[0].canvas.parentElement);
  }

  // volume: {geometry, voxels, lungs, lesions, padding}, the labels being the
  // classical engine's. The crosshair starts at the centre of the volume.
  setVolume(volume) {
    this.masks = { classical: { lungs: volume.lungs, lesions: volume.lesions } };
    this.volume = { ...volume, ...this.masksOf(this.overlayEngine) };
    const axes = volume.geometry.axes;
    for (const view of this.views) {
      view.mapping = viewMapping(view.name, axes);
      const mapping = view.mapping;
      view.width = volume.geometry.size[mapping.horizontal.axis];
      view.height = volume.geometry.size[mapping.vertical.axis];
      view.pixelMm = [volume.geometry.spacingMm[mapping.horizontal.axis], volume.geometry.spacingMm[mapping.vertical.axis]];
      view.image = new ImageData(view.width, view.height);
      view.buffer = new OffscreenCanvas(view.width, view.height);
      view.zoom = 1;
      view.pan = [0, 0];
    }
    this.cursor = volume.geometry.size.map((n) => Math.floor(n / 2));
    this.requestRender();
  }

  // Adds the neural engine's labels (same values as the classical ones) of
  // the current volume.
  setNeuralMasks(lungs, lesions) {
    this.masks.neural = { lungs, lesions };
    this.setOverlayEngine(this.overlayEngine);
  }

  // Selects whose labels the overlays and the cursor read-out show:
  // 'classical' or 'neural'. An engine without labels shows no overlay.
  setOverlayEngine(engine) {
    this.overlayEngine = engine;
    if (this.volume) this.volume = { ...this.volume, ...this.masksOf(engine) };
    this.requestRender();
  }

  masksOf(engine) {
    return this.masks[engine] ?? { lungs: null, lesions: null };
  }

  // Width 1..4000 HU and level -1500..3000 HU: beyond that the image is one
  // grey whatever the data, so a long drag cannot lose the picture.
  setWindow(window) {
    this.window = {
      center: Math.min(3000, Math.max(-1500, window.center)),
      width: Math.min(4000, Math.max(1, window.width)),
    };
    this.onWindow(this.window);
    this.requestRender();
  }

  setOverlays(changes) {
    Object.assign(this.overlays, changes);
    this.requestRender();
  }

  // Moves the slice of `view` by `steps`, clamped to the volume.
  scroll(view, steps) {
    if (!this.volume) return;
    const axis = view.mapping.normalAxis;
    const count = this.volume.geometry.size[axis];
    this.cursor[axis] = Math.min(count - 1, Math.max(0, this.cursor[axis] + steps));
    this.requestRender();
  }

  handleKey(event) {
    if (!this.volume) return false;
    const steps = { ArrowUp: 1, ArrowRight: 1, ArrowDown: -1, ArrowLeft: -1, PageUp: 10, PageDown: -10 }[event.key];
    if (steps !== undefined) {
      this.scroll(this.activeView, steps);
      return true;
    }
    if (event.key === '1') this.setWindow(windowPresets.lung);
    else if (event.key === '2') this.setWindow(windowPresets.mediastinal);
    else if (event.key === '0') this.resetZoom();
    else return false;
    return true;
  }

  // Fits every view again (zoom 1, no pan).
  resetZoom() {
    for (const view of this.views) {
      view.zoom = 1;
      view.pan = [0, 0];
    }
    this.requestRender();
  }

  requestRender() {
    if (this.renderPending) return;
    this.renderPending = true;
    requestAnimationFrame(() => {
      this.renderPending = false;
      for (const view of this.views) this.renderView(view);
    });
  }

  // Returns the on-canvas rectangle of the slice image, in device pixels:
  // fitted with the physical aspect ratio (mm), then zoomed and panned.
  imageFrame(view) {
    const canvas = view.canvas;
    const widthMm = view.width * view.pixelMm[0];
    const heightMm = view.height * view.pixelMm[1];
    const scale = Math.min(canvas.width / widthMm, canvas.height / heightMm) * view.zoom;
    const width = widthMm * scale;
    const height = heightMm * scale;
    return { x: (canvas.width - width) / 2 + view.pan[0], y: (canvas.height - height) / 2 + view.pan[1], width, height };
  }

  renderView(view) {
    const canvas = view.canvas;
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = canvas.clientWidth;
    const cssHeight = canvas.clientHeight;
    if (canvas.width !== Math.round(cssWidth * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
      canvas.width = Math.round(cssWidth * ratio);
      canvas.height = Math.round(cssHeight * ratio);
    }
    const context = canvas.getContext('2d');
    context.fillStyle = '#000';
    context.fillRect(0, 0, canvas.width, canvas.height);
    if (!this.volume) return;

    renderSlice(view.image.data, this.volume, view.mapping, this.cursor[view.mapping.normalAxis], this.window, this.overlays);
    view.buffer.getContext('2d').putImageData(view.image, 0, 0);
    const frame = this.imageFrame(view);
    view.frame = frame;
    context.imageSmoothingEnabled = false;
    context.drawImage(view.buffer, frame.x, frame.y, frame.width, frame.height);

    this.drawCrosshair(view, context, frame);
    this.drawLabels(view, context, ratio);
  }

  // Converts a voxel index along a screen axis to the canvas coordinate of the voxel centre.
  screenCoordinate(screenAxis, count, frameStart, frameSize, index) {
    const position = screenAxis.flip ? count - 1 - index : index;
    return frameStart + ((position + 0.5) / count) * frameSize;
  }

  drawCrosshair(view, context, frame) {
    const { horizontal, vertical } = view.mapping;
    const x = this.screenCoordinate(horizontal, view.width, frame.x, frame.width, this.cursor[horizontal.axis]);
    const y = this.screenCoordinate(vertical, view.height, frame.y, frame.height, this.cursor[vertical.axis]);
    context.strokeStyle = 'rgba(255, 120, 255, 0.7)';
    context.lineWidth = 1;
    context.beginPath();
    context.moveTo(x, frame.y);
    context.lineTo(x, frame.y + frame.height);
    context.moveTo(frame.x, y);
    context.lineTo(frame.x + frame.width, y);
    context.stroke();
  }

  drawLabels(view, context, ratio) {
    const [left, right, top, bottom] = edgeLabels[view.name];
    const canvas = view.canvas;
    const fontPx = 13 * ratio;
    context.font = `${fontPx}px system-ui, sans-serif`;
    context.fillStyle = '#ffd54f';
    context.textBaseline = 'middle';
    context.textAlign = 'left';
    context.fillText(left, 4 * ratio, canvas.height / 2);
    context.textAlign = 'right';
    context.fillText(right, canvas.width - 4 * ratio, canvas.height / 2);
    context.textAlign = 'center';
    context.textBaseline = 'top';
    context.fillText(top, canvas.width / 2, 4 * ratio);
    context.textBaseline = 'bottom';
    context.fillText(bottom, canvas.width / 2, canvas.height - 4 * ratio);

    const axis = view.mapping.normalAxis;
    context.textAlign = 'left';
    context.textBaseline = 'top';
    context.fillStyle = '#e0e0e0';
    context.fillText(`${view.name} ${this.cursor[axis] + 1}/${this.volume.geometry.size[axis]}`, 4 * ratio, 4 * ratio);
  }

  // Returns the voxel index under canvas point (x, y) in device pixels, or null.
  voxelAt(view, x, y) {
    const frame = view.frame;
    if (!frame) return null;
    const u = Math.floor(((x - frame.x) / frame.width) * view.width);
    const v = Math.floor(((y - frame.y) / frame.height) * view.height);
    if (u < 0 || v < 0 || u >= view.width || v >= view.height) return null;
    const { horizontal, vertical, normalAxis } = view.mapping;
    const index = [0, 0, 0];
    index[horizontal.axis] = horizontal.flip ? view.width - 1 - u : u;
    index[vertical.axis] = vertical.flip ? view.height - 1 - v : v;
    index[normalAxis] = this.cursor[normalAxis];
    return index;
  }

  reportCursor(index) {
    if (!index) {
      this.onCursor(null);
      return;
    }
    const size = this.volume.geometry.size;
    const linear = index[0] + size[0] * (index[1] + size[1] * index[2]);
    const padded = this.volume.padding ? this.volume.padding[linear] === 1 : false;
    this.onCursor({
      index,
      hu: padded ? null : this.volume.voxels[linear],
      positionMm: voxelPositionMm(this.volume.geometry, index),
      lungLabel: this.volume.lungs ? this.volume.lungs[linear] : 0,
      lesionLabel: this.volume.lesions ? this.volume.lesions[linear] : 0,
    });
  }

  attachEvents(view) {
    const canvas = view.canvas;
    const devicePoint = (event) => {
      const rect = canvas.getBoundingClientRect();
      const ratio = canvas.width / Math.max(1, rect.width);
      return [(event.clientX - rect.left) * ratio, (event.clientY - rect.top) * ratio];
    };
    let drag = null;

    canvas.addEventListener('contextmenu', (event) => event.preventDefault());
    canvas.addEventListener('pointerdown', (event) => {
      if (!this.volume) return;
      this.activeView = view;
      canvas.setPointerCapture(event.pointerId);
      const pan = event.button !== 0 || event.shiftKey;
      drag = { pan, start: [event.clientX, event.clientY], last: [event.clientX, event.clientY], moved: false, window: { ...this.window } };
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!this.volume) return;
      this.activeView = view;
      if (!drag) {
        const [x, y] = devicePoint(event);
        this.reportCursor(this.voxelAt(view, x, y));
        return;
      }
      const dx = event.clientX - drag.start[0];
      const dy = event.clientY - drag.start[1];
      if (Math.abs(dx) + Math.abs(dy) > clickSlopPx) drag.moved = true;
      if (!drag.moved) return;
      if (drag.pan) {
        const ratio = canvas.width / Math.max(1, canvas.getBoundingClientRect().width);
        view.pan[0] += (event.clientX - drag.last[0]) * ratio;
        view.pan[1] += (event.clientY - drag.last[1]) * ratio;
        this.requestRender();
      } else {
        // 4 HU of width and 2 HU of level per CSS pixel.
        this.setWindow({ center: drag.window.center + dy * 2, width: drag.window.width + dx * 4 });
      }
      drag.last = [event.clientX, event.clientY];
    });
    canvas.addEventListener('pointerup', (event) => {
      if (drag && !drag.moved && !drag.pan) {
        const [x, y] = devicePoint(event);
        const index = this.voxelAt(view, x, y);
        if (index) {
          this.cursor = index;
          this.reportCursor(index);
          this.requestRender();
        }
      }
      drag = null;
    });
    canvas.addEventListener('dblclick', () => this.resetZoom());
    canvas.addEventListener('pointerleave', () => {
      if (!drag) this.onCursor(null);
    });
    canvas.addEventListener('wheel', (event) => {
      if (!this.volume) return;
      event.preventDefault();
      this.activeView = view;
      if (event.ctrlKey) {
        view.zoom = Math.min(16, Math.max(0.5, view.zoom * (event.deltaY < 0 ? 1.15 : 1 / 1.15)));
        this.requestRender();
      } else {
        this.scroll(view, event.deltaY < 0 ? 1 : -1);
      }
    }, { passive: false });
  }
}
