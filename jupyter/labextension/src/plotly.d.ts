// plotly.js-dist-min ships no type declarations; the renderer declares the part it uses (PlotlyApi).
declare module 'plotly.js-dist-min';
