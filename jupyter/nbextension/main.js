/*
 * The course's figure renderer for nbclassic (the classic Notebook interface on jupyter_server).
 * An nbextension, loaded once per page: it registers a renderer for application/vnd.plotly.v1+json in the
 * classic OutputArea, first in the display order and marked safe (so untrusted notebooks draw too), and loads
 * plotly.js once per page from this extension's folder (plotly.min.js, copied by jupyter/setup.js from the
 * course's plotly.js-dist-min). No output carries plotly.js. nbclassic loads extensions after a notebook's saved
 * outputs are shown, so those are drawn again once the renderer is registered.
 */
define(['require', 'base/js/namespace', 'notebook/js/outputarea'], function (require, Jupyter, outputarea) {
  'use strict';
  var MIME = 'application/vnd.plotly.v1+json';
  var plotly;

  function loadPlotly() {
    if (!plotly) {
      plotly = new Promise(function (resolve, reject) {
        // plotly.min.js is a UMD bundle: under require.js it defines an AMD module.
        require(['./plotly.min'], function (Plotly) { resolve(Plotly || window.Plotly); }, reject);
      });
    }
    return plotly;
  }

  function append(data, metadata, element) {
    var meta = (metadata && metadata['dl-optimization']) || {};
    var spec = JSON.parse(JSON.stringify(data || {}));
    var layout = spec.layout || {};
    if (typeof layout.height !== 'number') layout.height = 450;
    var outer = document.createElement('div');
    outer.className = 'output_subarea dlopt-figure';
    if (meta.figure_id) outer.setAttribute('data-figure-id', meta.figure_id);
    var plot = document.createElement('div');
    plot.className = 'dlopt-plot';
    plot.style.minHeight = layout.height + 'px';
    var caption = document.createElement('p');
    caption.className = 'dlopt-caption';
    caption.style.cssText = 'font-size:90%;color:#444';
    if (meta.figure_id) {
      var b = document.createElement('b');
      b.textContent = 'Figure ' + meta.figure_id + '. ';
      caption.appendChild(b);
    }
    caption.appendChild(document.createTextNode(meta.caption || ''));
    outer.appendChild(plot);
    outer.appendChild(caption);
    element.append(outer);
    loadPlotly()
      .then(function (Plotly) {
        return Plotly.newPlot(plot, {
          data: spec.data || [],
          layout: layout,
          frames: spec.frames || [],
          config: Object.assign({ responsive: true }, spec.config || {}),
        });
      })
      .then(function () { outer.setAttribute('data-drawn', 'true'); })
      .catch(function (err) {
        outer.setAttribute('data-drawn', 'error');
        plot.textContent = 'This figure could not be drawn: ' + err;
      });
    return element;
  }

  /** Outputs rendered before this extension loaded (a notebook opened with its outputs) are drawn again. */
  function redrawEarlierOutputs() {
    var notebook = Jupyter.notebook;
    if (!notebook || !notebook.get_cells) return;
    notebook.get_cells().forEach(function (cell) {
      var area = cell.output_area;
      if (!area || area.element.find('.dlopt-figure').length) return;
      var outputs = area.toJSON();
      var ours = outputs.some(function (o) { return o.data && o.data[MIME]; });
      if (!ours) return;
      area.clear_output(false, true);
      area.fromJSON(outputs);
    });
  }

  function load_ipython_extension() {
    outputarea.OutputArea.prototype.register_mime_type(MIME, append, { safe: true, index: 0 });
    redrawEarlierOutputs();
  }

  return { load_ipython_extension: load_ipython_extension };
});
