/**
 * The numbers each notebook must assert (by the label of its check(...) call). The notebook test fails
 * when a label's "✓ label" line is missing, so a chapter cannot quietly stop checking a lecture number.
 */
export const REQUIRED_CHECKS: Record<string, string[]> = {
  '00-setup': ["tanh'(4) vs the lecture's 0.0013", "tanh'(4) vs 1 − tanh²(4)", 'largest |autodiff − closed form| on x = 0…5'],
};
