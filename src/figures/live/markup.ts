/**
 * The HTML of a live figure's controls, written into the site page by the site build (scripts/site.ts) so that
 * the controls are in the page as plain form elements (readable without script, findable by tests and
 * lecturers): <div class="dlopt-live" data-live-figure="<figure id>"> with one labelled input per control,
 * an <output> per number and a reset button. The page script (./page.ts) wires them up.
 */
import { escapeHtml } from '../../core/html';
import { formatNumber } from './render';
import type { Control, LiveSpec } from './types';


/** The value a range input holds for a value of the control (log ranges hold log₁₀). */
export function sliderValue(c: Extract<Control, { kind: 'range' }>, v: number): number {
  return c.log ? Math.log10(v) : v;
}

function controlHtml(spec: LiveSpec, c: Control): string {
  const id = (suffix: string) => escapeHtml(`${spec.id}--${c.name}${suffix}`);
  if (c.kind === 'range') {
    const v = sliderValue(c, c.default);
    return (
      `<div class="dlopt-control" data-control="${escapeHtml(c.name)}"><label for="${id('')}">${escapeHtml(c.label)}</label>` +
      `<input type="range" id="${id('')}" name="${escapeHtml(c.name)}" min="${c.min}" max="${c.max}" step="${c.log ? 'any' : c.step}" value="${+v.toPrecision(12)}"${c.log ? ' data-log="1"' : ''} data-digits="${c.digits ?? 3}">` +
      `<output for="${id('')}" data-value-of="${escapeHtml(c.name)}">${escapeHtml(formatNumber(c.default, c.digits ?? 3))}</output></div>`
    );
  }
  if (c.kind === 'select') {
    const opts = c.options.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === c.default ? ' selected' : ''}>${escapeHtml(o.label)}</option>`).join('');
    return `<div class="dlopt-control" data-control="${escapeHtml(c.name)}"><label for="${id('')}">${escapeHtml(c.label)}</label><select id="${id('')}" name="${escapeHtml(c.name)}">${opts}</select></div>`;
  }
  const [[xl, xh], [yl, yh]] = c.bounds;
  return (
    `<div class="dlopt-control dlopt-point" data-control="${escapeHtml(c.name)}" data-xaxis="${escapeHtml(c.xaxis ?? 'x')}" data-yaxis="${escapeHtml(c.yaxis ?? 'y')}">` +
    `<label for="${id('-x')}">${escapeHtml(c.label)} <small>(click the plot)</small></label>` +
    `(<input type="number" id="${id('-x')}" name="${escapeHtml(c.name)}.x" step="any" min="${xl}" max="${xh}" value="${c.default[0]}" aria-label="${escapeHtml(c.label)}, first coordinate">, ` +
    `<input type="number" id="${id('-y')}" name="${escapeHtml(c.name)}.y" step="any" min="${yl}" max="${yh}" value="${c.default[1]}" aria-label="${escapeHtml(c.label)}, second coordinate">)</div>`
  );
}

/** The live block of one figure: its summary, controls, numbers and a reset button. */
export function controlsHtml(spec: LiveSpec): string {
  const numbers = spec.numbers
    .map((n) => `<span class="dlopt-number"><span class="dlopt-number-label">${escapeHtml(n.label)}</span> <output data-number="${escapeHtml(n.key)}" data-digits="${n.digits ?? 4}">—</output></span>`)
    .join('');
  return (
    `<div class="dlopt-live" data-live-figure="${escapeHtml(spec.id)}" data-state="static">` +
    `<p class="dlopt-live-summary"><b>Live figure.</b> ${escapeHtml(spec.summary)} <span class="dlopt-live-status" data-live-status>` +
    `The plot is the notebook's until you change something.</span></p>` +
    `<form class="dlopt-live-controls" onsubmit="return false">${spec.controls.map((c) => controlHtml(spec, c)).join('')}` +
    `<button type="button" data-live-reset>notebook's values</button></form>` +
    `<p class="dlopt-live-numbers">${numbers}</p></div>`
  );
}

/** The stylesheet of the live blocks (appended to the site's site.css). */
export const LIVE_CSS = `
.dlopt-live{font:14px/1.4 system-ui,sans-serif;border:1px solid #d7e3f1;background:#f6f9fd;border-radius:6px;padding:.5em .8em;margin:.4em 0 .6em}
.dlopt-live-summary{margin:.2em 0 .5em}.dlopt-live-status{color:#555;font-size:90%}
.dlopt-live-controls{display:flex;flex-wrap:wrap;gap:.4em 1.4em;align-items:center;margin:0}
.dlopt-control{display:flex;gap:.4em;align-items:center}.dlopt-control input[type=range]{width:11em}
.dlopt-control output{min-width:3.5em;font-variant-numeric:tabular-nums}.dlopt-point input{width:6em}
.dlopt-live-numbers{display:flex;flex-wrap:wrap;gap:.2em 1.6em;margin:.5em 0 0}.dlopt-number{white-space:nowrap}
.dlopt-number-label{color:#444}.dlopt-number output{font-variant-numeric:tabular-nums;font-weight:600}
.dlopt-live[data-state=live] .dlopt-live-status{color:#0b6b2b}.dlopt-live[data-state=error] .dlopt-live-status{color:#b00}
`;
