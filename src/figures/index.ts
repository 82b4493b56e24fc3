/**
 * Figure builders: plain plotly traces for the course's recurring pictures (contours of an objective,
 * trajectories, loss curves on log axes, heat and rate maps), the shared palette and rounding for labels.
 * They compute nothing a chapter should see (no training, no Jupyter): data in, traces out.
 */
export * from './palette';
export * from './round';
export * from './contour';
export * from './path';
export * from './curves';
export * from './heatmap';
